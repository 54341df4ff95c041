//===- ExecutorSwitch.cpp - Where code given to an executor runs ----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ExecutorSwitch.h"

#include "AstNames.h"
#include "ExprFacts.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace stallhound {

namespace {

bool classIsOffloadExecutor(QualType T, const Config &Cfg) {
  if (T.isNull())
    return false;
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  if (Cfg.isOffloadExecutor(ruleName(RD)))
    return true;
  if (!RD->hasDefinition())
    return false;
  bool Found = false;
  RD->forallBases([&](const CXXRecordDecl *Base) {
    Found = Cfg.isOffloadExecutor(ruleName(Base));
    return !Found;
  });
  return Found;
}

/// A call inside the executor expression to a function that returns an
/// offload executor (get_global_block_executor()).
class MakerFinder : public RecursiveASTVisitor<MakerFinder> {
public:
  explicit MakerFinder(const Config &Cfg) : Cfg(Cfg) {}
  bool Found = false;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *CE) {
    if (const FunctionDecl *FD = CE->getDirectCallee();
        FD && Cfg.isOffloadExecutor(ruleName(FD)))
      Found = true;
    return !Found;
  }

private:
  const Config &Cfg;
};

bool isSwitchFunction(const std::string &Name) {
  for (const char *F :
       {"boost::asio::post", "asio::post", "boost::asio::dispatch",
        "asio::dispatch", "boost::asio::defer", "asio::defer",
        "async_simple::coro::dispatch"})
    if (Name == F)
      return true;
  return false;
}

} // namespace

bool isOffloadExecutor(const Expr *Executor, const Config &Cfg,
                       const WorkQueueSet &Queues) {
  for (unsigned Depth = 0; Executor && Depth < 4; ++Depth) {
    if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(Executor))
      Executor = Default->getExpr();
    if (const auto *Member = dyn_cast<MemberExpr>(stripWrappers(Executor));
        Member && Queues.contains(Member->getMemberDecl()))
      return true;
    if (classIsOffloadExecutor(Executor->getType(), Cfg))
      return true;
    MakerFinder Maker(Cfg);
    Maker.TraverseStmt(const_cast<Expr *>(Executor));
    if (Maker.Found)
      return true;
    // `auto ex = pool.get_executor(); post(ex, f);`
    const auto *DRE = dyn_cast<DeclRefExpr>(stripWrappers(Executor));
    const auto *Var = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!Var || !Var->hasLocalStorage() || isa<ParmVarDecl>(Var))
      return false;
    Executor = Var->getInit();
  }
  return false;
}

std::optional<ExecutorTarget> awaitedSwitch(const Expr *Operand,
                                            const Config &Cfg,
                                            const WorkQueueSet &Queues) {
  const auto *Call = dyn_cast_or_null<CallExpr>(stripWrappers(Operand));
  if (!Call)
    return std::nullopt;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *M = Member->getMethodDecl();
    const Expr *Object = Member->getImplicitObjectArgument();
    if (M && M->getIdentifier() && M->getName() == "schedule" && Object)
      return isOffloadExecutor(Object, Cfg, Queues) ? ExecutorTarget::Pool
                                                    : ExecutorTarget::Loop;
    return std::nullopt;
  }
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !isSwitchFunction(ruleName(Callee)))
    return std::nullopt;
  // post(token) with a single argument re-posts to the coroutine's own
  // executor, which stays where it is; dispatch(executor) switches.
  bool TakesExecutorFirst = Call->getNumArgs() >= 2 ||
                            ruleName(Callee) == "async_simple::coro::dispatch";
  if (!TakesExecutorFirst || Call->getNumArgs() == 0)
    return std::nullopt;
  return isOffloadExecutor(Call->getArg(0), Cfg, Queues) ? ExecutorTarget::Pool
                                                         : ExecutorTarget::Loop;
}

} // namespace stallhound
