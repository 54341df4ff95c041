//===- ExecutorSwitch.cpp - co_await that moves a coroutine between threads
//===//

#include "ExecutorSwitch.h"

#include "AstNames.h"
#include "ExprFacts.h"

using namespace clang;

namespace stallhound {

namespace {

/// Thread pools by name: asio's thread_pool and its executors, cppcoro's
/// static_thread_pool, libcoro's thread_pool.
bool isPoolType(QualType T) {
  std::string Name = className(T);
  return Name.find("thread_pool") != std::string::npos;
}

bool isSwitchFunction(const std::string &Name) {
  for (const char *F :
       {"boost::asio::post", "asio::post", "boost::asio::dispatch",
        "asio::dispatch", "boost::asio::defer", "asio::defer"})
    if (Name == F)
      return true;
  return false;
}

} // namespace

std::optional<ExecutorTarget> awaitedSwitch(const Expr *Operand) {
  const auto *Call = dyn_cast_or_null<CallExpr>(stripWrappers(Operand));
  if (!Call)
    return std::nullopt;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *M = Member->getMethodDecl();
    if (M && M->getIdentifier() && M->getName() == "schedule")
      return isPoolType(Member->getImplicitObjectArgument()->getType())
                 ? ExecutorTarget::Pool
                 : ExecutorTarget::Loop;
    return std::nullopt;
  }
  const FunctionDecl *Callee = Call->getDirectCallee();
  // post(executor, token): with a single argument it re-posts to the
  // coroutine's own executor, which stays where it is.
  if (!Callee || Call->getNumArgs() < 2 || !isSwitchFunction(ruleName(Callee)))
    return std::nullopt;
  return isPoolType(Call->getArg(0)->IgnoreParenImpCasts()->getType())
             ? ExecutorTarget::Pool
             : ExecutorTarget::Loop;
}

} // namespace stallhound
