//===- FdOrigins.cpp - Where a function's file descriptors come from ------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "FdOrigins.h"

#include "ExprFacts.h"
#include "MemberCode.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace stallhound {

namespace {

/// The variable or member an fd expression names: `fd`, `m_fd`, `m_fds[1]`,
/// or a trivial accessor returning one (`write_fd()`).
const ValueDecl *namedVariable(const Expr *E, unsigned Depth = 0) {
  E = stripWrappers(E);
  if (const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(E);
      Call && Depth < 2)
    if (const CXXMethodDecl *M = Call->getMethodDecl(); M && M->hasBody())
      if (const auto *Body = dyn_cast_or_null<CompoundStmt>(M->getBody());
          Body && Body->size() == 1)
        if (const auto *Return = dyn_cast<ReturnStmt>(Body->body_front()))
          return namedVariable(Return->getRetValue(), Depth + 1);
  if (const auto *Subscript = dyn_cast_or_null<ArraySubscriptExpr>(E))
    E = stripWrappers(Subscript->getBase());
  else if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(E);
           Op && Op->getOperator() == OO_Subscript) // std::array<int, 2>
    E = stripWrappers(Op->getArg(0));
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

bool isAsioSocket(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  llvm::StringRef Name = RD->getName();
  const DeclContext *DC = RD->getDeclContext();
  while (DC && !DC->isTranslationUnit() && !isa<NamespaceDecl>(DC))
    DC = DC->getParent();
  const auto *NS = dyn_cast_or_null<NamespaceDecl>(DC);
  return NS && NS->getName() == "asio" && Name.starts_with("basic_") &&
         Name.ends_with("socket");
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
    if (VD->getInit()) {
      noteOrigin(VD, VD->getInit());
      if (mentionsAny(VD->getInit(), {"O_NONBLOCK"}, Ctx))
        NonBlockingFlags.insert(VD);
    }
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      if (const ValueDecl *VD = namedVariable(BO->getLHS()))
        noteOrigin(VD, BO->getRHS());
    // flags |= O_NONBLOCK; fcntl(fd, F_SETFL, flags);
    if ((BO->getOpcode() == BO_Assign || BO->getOpcode() == BO_OrAssign) &&
        mentionsAny(BO->getRHS(), {"O_NONBLOCK"}, Ctx))
      if (const ValueDecl *VD = namedVariable(BO->getLHS()))
        NonBlockingFlags.insert(VD);
    return true;
  }

  // for (int fd : m_fds) fcntl(fd, ...): the loop variable stands for the
  // member.
  bool VisitCXXForRangeStmt(CXXForRangeStmt *For) {
    if (const ValueDecl *Range = namedVariable(For->getRangeInit()))
      LoopVariableOf[For->getLoopVariable()] = Range;
    return true;
  }

  // socket.non_blocking(true): asio's I/O on the object returns would_block
  // instead of waiting. socket.async_*(...): asio makes its descriptor
  // non-blocking.
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MCE) {
    const CXXMethodDecl *M = MCE->getMethodDecl();
    if (M && M->getIdentifier() && M->getName().starts_with("async_") &&
        isAsioSocket(MCE->getImplicitObjectArgument()->getType()))
      if (const ValueDecl *VD = namedVariable(MCE->getImplicitObjectArgument()))
        Known[VD].AsyncSocket = true;
    bool Value = false;
    if (M && M->getIdentifier() &&
        (M->getName() == "non_blocking" ||
         M->getName() == "native_non_blocking") &&
        MCE->getNumArgs() >= 1 && !MCE->getArg(0)->isValueDependent() &&
        MCE->getArg(0)->EvaluateAsBooleanCondition(Value, Ctx) && Value)
      if (const ValueDecl *VD = namedVariable(MCE->getImplicitObjectArgument()))
        Known[VD].NonBlocking = true;
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (CE->getNumArgs() < 3)
      return true;
    const Expr *Flags = CE->getArg(2);
    bool FlagsNonBlocking = mentionsAny(Flags, {"O_NONBLOCK"}, Ctx) ||
                            NonBlockingFlags.contains(namedVariable(Flags));
    bool SetsNonBlocking =
        (isNamed(FD, {"fcntl", "fcntl64"}) &&
         mentionsAny(CE->getArg(1), {"F_SETFL"}, Ctx) && FlagsNonBlocking) ||
        (isNamed(FD, {"ioctl"}) &&
         mentionsAny(CE->getArg(1), {"FIONBIO"}, Ctx));
    if (SetsNonBlocking)
      if (const ValueDecl *VD = namedVariable(CE->getArg(0))) {
        auto Loop = LoopVariableOf.find(VD);
        Known[Loop != LoopVariableOf.end() ? Loop->second : VD].NonBlocking =
            true;
      }
    return true;
  }

private:
  ASTContext &Ctx;
  llvm::DenseMap<const ValueDecl *, FdInfo> &Known;
  llvm::DenseSet<const ValueDecl *> NonBlockingFlags;
  llvm::DenseMap<const ValueDecl *, const ValueDecl *> LoopVariableOf;

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

FdOrigins::FdOrigins(const Stmt *Body, ASTContext &Ctx,
                     const MemberFds *Members)
    : Members(Members) {
  if (Body)
    OriginCollector(Ctx, Known).TraverseStmt(const_cast<Stmt *>(Body));
}

FdInfo FdOrigins::lookup(const Expr *FdExpr) const {
  // socket.native_handle(): the descriptor of an asio socket.
  if (const auto *Call =
          dyn_cast_or_null<CXXMemberCallExpr>(stripWrappers(FdExpr));
      Call && Call->getMethodDecl() && Call->getMethodDecl()->getIdentifier() &&
      Call->getMethodDecl()->getName() == "native_handle" &&
      isAsioSocket(Call->getImplicitObjectArgument()->getType())) {
    FdInfo Socket = lookup(Call->getImplicitObjectArgument());
    return {FdKind::Socket, Socket.NonBlocking || Socket.AsyncSocket, false};
  }
  const ValueDecl *VD = namedVariable(FdExpr);
  if (!VD)
    return {};
  auto It = Known.find(VD);
  FdInfo Info = It == Known.end() ? FdInfo{} : It->second;
  if (isa<FieldDecl>(VD) && Members) {
    Info.NonBlocking |= Members->NonBlocking.contains(VD);
    Info.AsyncSocket |= Members->AsyncSockets.contains(VD);
  }
  return Info;
}

const FieldDecl *FdOrigins::member(const Expr *FdExpr) {
  return dyn_cast_or_null<FieldDecl>(namedVariable(FdExpr));
}

const ValueDecl *FdOrigins::variable(const Expr *E) {
  const ValueDecl *VD = namedVariable(E);
  return isa_and_nonnull<VarDecl, FieldDecl>(VD) ? VD : nullptr;
}

MemberFds
FdOrigins::memberFacts(const std::vector<const FunctionDecl *> &Bodies,
                       ASTContext &Ctx) {
  llvm::DenseMap<const ValueDecl *, FdInfo> Known;
  for (const FunctionDecl *FD : Bodies)
    if (const Stmt *Body = FD->getBody())
      OriginCollector(Ctx, Known).TraverseStmt(const_cast<Stmt *>(Body));
  MemberFds Members;
  for (const auto &[VD, Info] : Known) {
    if (!isa<FieldDecl>(VD))
      continue;
    if (Info.NonBlocking)
      Members.NonBlocking.insert(VD);
    if (Info.AsyncSocket)
      Members.AsyncSockets.insert(VD);
  }
  addReferenceAliases(Bodies, Members.NonBlocking);
  return Members;
}

namespace {

/// A constructor that binds a reference member to one of its parameters:
/// `session(tcp::socket &s) : socket_(s) {}`.
using ReferenceBindings = llvm::DenseMap<
    const CXXConstructorDecl *,
    llvm::SmallVector<std::pair<const FieldDecl *, unsigned>, 2>>;

class ConstructionSites : public RecursiveASTVisitor<ConstructionSites> {
public:
  std::vector<const CXXConstructExpr *> Sites;
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    Sites.push_back(CE);
    return true;
  }
};

} // namespace

void FdOrigins::addReferenceAliases(
    const std::vector<const FunctionDecl *> &Bodies,
    llvm::DenseSet<const ValueDecl *> &Members) {
  ReferenceBindings Bindings;
  for (const FunctionDecl *FD : Bodies)
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
      for (const CXXCtorInitializer *Init : Ctor->inits()) {
        const FieldDecl *Field = Init->getMember();
        if (!Field || !Field->getType()->isReferenceType())
          continue;
        if (const auto *DRE =
                dyn_cast_or_null<DeclRefExpr>(stripWrappers(Init->getInit())))
          if (const auto *Param = dyn_cast<ParmVarDecl>(DRE->getDecl()))
            Bindings[Ctor].push_back({Field, Param->getFunctionScopeIndex()});
      }
  // `third_party::session impl_{socket_};`: constructions anywhere in the
  // classes' code, their members' own initializers included.
  ConstructionSites Sites;
  forEachMemberCode(Bodies, [&](Stmt *S) { Sites.TraverseStmt(S); });
  // A reference bound to a non-blocking member is the same object.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const CXXConstructExpr *Site : Sites.Sites) {
      auto It = Bindings.find(Site->getConstructor());
      if (It == Bindings.end())
        continue;
      for (auto [Field, Index] : It->second)
        if (Index < Site->getNumArgs() &&
            Members.contains(namedVariable(Site->getArg(Index))) &&
            Members.insert(Field).second)
          Changed = true;
    }
  }
}

} // namespace stallhound
