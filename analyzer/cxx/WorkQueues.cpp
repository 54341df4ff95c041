//===- WorkQueues.cpp - io_contexts that only run posted work -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "WorkQueues.h"

#include "AstNames.h"
#include "ExprFacts.h"
#include "MemberCode.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace stallhound {

namespace {

bool isIoContext(QualType T) {
  std::string Name = className(T);
  return Name.find("io_context") != std::string::npos ||
         Name.find("io_service") != std::string::npos;
}

const FieldDecl *fieldNamed(const Expr *E) {
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(stripWrappers(E)))
    if (const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
        Field && isIoContext(Field->getType()))
      return Field;
  return nullptr;
}

struct Uses {
  bool RunByOwnThread = false;
  bool OtherUse = false; // an I/O object, a timer, a function: a real loop
};

class UseCollector : public RecursiveASTVisitor<UseCollector> {
public:
  llvm::DenseMap<const FieldDecl *, Uses> ByField;

  bool TraverseCXXConstructExpr(CXXConstructExpr *CE) {
    std::string Class = className(CE->getType());
    bool Thread = Class == "std::thread" || Class == "std::jthread" ||
                  Class == "boost::thread";
    for (const Expr *Arg : CE->arguments())
      if (const FieldDecl *Field = fieldNamed(Arg))
        ByField[Field].OtherUse = true;
    InThread += Thread;
    bool Result = RecursiveASTVisitor::TraverseCXXConstructExpr(CE);
    InThread -= Thread;
    return Result;
  }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MCE) {
    const FieldDecl *Field = fieldNamed(MCE->getImplicitObjectArgument());
    const CXXMethodDecl *M = MCE->getMethodDecl();
    if (!Field || !M || !M->getIdentifier())
      return true;
    llvm::StringRef Name = M->getName();
    if (Name.starts_with("run") || Name.starts_with("poll")) {
      if (InThread)
        ByField[Field].RunByOwnThread = true;
      else
        ByField[Field].OtherUse = true; // also run by the caller's thread
    } else if (Name != "stop" && Name != "restart" && Name != "reset" &&
               Name != "stopped") {
      ByField[Field].OtherUse = true; // get_executor(): handed on
    }
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    if (isa<CXXMemberCallExpr>(CE))
      return true;
    const FunctionDecl *Callee = CE->getDirectCallee();
    std::string Name = Callee ? ruleName(Callee) : "";
    llvm::StringRef Last = llvm::StringRef(Name).rsplit("::").second;
    if (Last.empty())
      Last = Name;
    bool Queues = Last == "post" || Last == "dispatch" || Last == "defer" ||
                  Last == "make_work_guard";
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      if (const FieldDecl *Field = fieldNamed(CE->getArg(I));
          Field && !(Queues && I == 0))
        ByField[Field].OtherUse = true;
    return true;
  }

private:
  unsigned InThread = 0;
};

} // namespace

llvm::DenseSet<const ValueDecl *>
workQueueMembers(const std::vector<const FunctionDecl *> &Methods) {
  UseCollector Collector;
  forEachMemberCode(Methods, [&](Stmt *S) { Collector.TraverseStmt(S); });
  llvm::DenseSet<const ValueDecl *> Queues;
  for (const auto &[Field, Use] : Collector.ByField)
    if (Use.RunByOwnThread && !Use.OtherUse)
      Queues.insert(Field);
  return Queues;
}

} // namespace stallhound
