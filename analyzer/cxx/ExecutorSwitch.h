//===- ExecutorSwitch.h - Where code given to an executor runs ---*- C++
//-*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// After `co_await asio::post(pool, use_awaitable)` or `co_await
// pool.schedule()` the rest of a coroutine runs on a thread pool, where
// blocking is fine, until it awaits a switch back to the loop (scenario C6).
// A callable posted or spawned on such an executor is offloaded, not a
// handler. Which executors are not the loop's is configuration
// ("offload_executors": class names and functions that return one).
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_EXECUTORSWITCH_H
#define STALLHOUND_ANALYZER_EXECUTORSWITCH_H

#include "Config.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>

namespace stallhound {

enum class ExecutorTarget { Loop, Pool };

/// io_context members used as work queues (see WorkQueues).
using WorkQueueSet = llvm::DenseSet<const clang::ValueDecl *>;

/// True when Executor (an argument of post, co_spawn, ...) names an executor
/// that is not the loop's: its class or a base is an offload executor, it is
/// made by a function that returns one (also through a local variable), or
/// it is a member io_context used as a work queue.
bool isOffloadExecutor(const clang::Expr *Executor, const Config &Cfg,
                       const WorkQueueSet &Queues);

/// Where the coroutine continues after awaiting Operand (the expression after
/// co_await), or nothing when the await does not switch executors.
std::optional<ExecutorTarget> awaitedSwitch(const clang::Expr *Operand,
                                            const Config &Cfg,
                                            const WorkQueueSet &Queues);

} // namespace stallhound

#endif
