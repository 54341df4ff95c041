//===- ExecutorSwitch.h - co_await that moves a coroutine between threads -*-
// C++ -*-//
//
// After `co_await asio::post(pool, use_awaitable)` or `co_await
// pool.schedule()` the rest of a coroutine runs on a thread pool, where
// blocking is fine, until it awaits a switch back to the loop (scenario C6).
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_EXECUTORSWITCH_H
#define STALLHOUND_ANALYZER_EXECUTORSWITCH_H

#include "clang/AST/ExprCXX.h"

#include <optional>

namespace stallhound {

enum class ExecutorTarget { Loop, Pool };

/// Where the coroutine continues after awaiting Operand (the expression after
/// co_await), or nothing when the await does not switch executors.
std::optional<ExecutorTarget> awaitedSwitch(const clang::Expr *Operand);

} // namespace stallhound

#endif
