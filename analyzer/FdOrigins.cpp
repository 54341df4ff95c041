//===- FdOrigins.cpp - Where a function's file descriptors come from ------===//

#include "FdOrigins.h"

#include "ExprFacts.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace stallhound {

namespace {

const ValueDecl *namedVariable(const Expr *E) {
  E = stripWrappers(E);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

const FunctionDecl *calledFunction(const Expr *E, const CallExpr *&Call) {
  Call = dyn_cast_or_null<CallExpr>(stripWrappers(E));
  return Call ? Call->getDirectCallee() : nullptr;
}

bool isNamed(const FunctionDecl *FD,
             std::initializer_list<const char *> Names) {
  if (!FD || !FD->getIdentifier() ||
      !FD->getDeclContext()->getRedeclContext()->isFileContext())
    return false;
  for (const char *N : Names)
    if (FD->getName() == N)
      return true;
  return false;
}

class OriginCollector : public RecursiveASTVisitor<OriginCollector> {
public:
  OriginCollector(ASTContext &Ctx,
                  llvm::DenseMap<const ValueDecl *, FdInfo> &Known)
      : Ctx(Ctx), Known(Known) {}

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }

  bool VisitVarDecl(VarDecl *VD) {
    if (VD->getInit())
      noteOrigin(VD, VD->getInit());
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      if (const ValueDecl *VD = namedVariable(BO->getLHS()))
        noteOrigin(VD, BO->getRHS());
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (CE->getNumArgs() < 3)
      return true;
    bool SetsNonBlocking = (isNamed(FD, {"fcntl", "fcntl64"}) &&
                            mentionsAny(CE->getArg(1), {"F_SETFL"}, Ctx) &&
                            mentionsAny(CE->getArg(2), {"O_NONBLOCK"}, Ctx)) ||
                           (isNamed(FD, {"ioctl"}) &&
                            mentionsAny(CE->getArg(1), {"FIONBIO"}, Ctx));
    if (SetsNonBlocking)
      if (const ValueDecl *VD = namedVariable(CE->getArg(0)))
        Known[VD].NonBlocking = true;
    return true;
  }

private:
  ASTContext &Ctx;
  llvm::DenseMap<const ValueDecl *, FdInfo> &Known;

  void noteOrigin(const ValueDecl *VD, const Expr *Init) {
    const CallExpr *Call;
    const FunctionDecl *FD = calledFunction(Init, Call);
    if (!FD)
      return;
    FdInfo &Info = Known[VD];
    if (isNamed(FD, {"open", "open64", "openat", "openat64", "creat"})) {
      Info.Kind = FdKind::File;
      for (const Expr *Arg : Call->arguments())
        if (mentionsAny(Arg, {"O_NONBLOCK", "O_NDELAY"}, Ctx))
          Info.NonBlocking = true;
    } else if (isNamed(FD, {"fileno"})) {
      Info.Kind = FdKind::File;
    } else if (isNamed(FD, {"socket", "accept", "accept4"})) {
      Info.Kind = FdKind::Socket;
      for (const Expr *Arg : Call->arguments())
        if (mentionsAny(Arg, {"SOCK_NONBLOCK"}, Ctx))
          Info.NonBlocking = true;
    }
  }
};

} // namespace

FdOrigins::FdOrigins(const Stmt *Body, ASTContext &Ctx) {
  if (Body)
    OriginCollector(Ctx, Known).TraverseStmt(const_cast<Stmt *>(Body));
}

FdInfo FdOrigins::lookup(const Expr *FdExpr) const {
  const ValueDecl *VD = namedVariable(FdExpr);
  if (!VD)
    return {};
  auto It = Known.find(VD);
  return It == Known.end() ? FdInfo{} : It->second;
}

} // namespace stallhound
