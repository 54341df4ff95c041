//===- PythonPools.h - The worker pools of a CPython process ----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Reads, from the probe's Python helper thread, how full the pools that run
// blocking work in threads are, and what waits for them:
// - anyio's capacity limiters (Starlette and FastAPI run every def endpoint
//   through the default one, 40 threads): the limiters stored in anyio's run
//   variables, their tokens, and the tasks in their wait queue, each named by
//   the function it is about to run (the local `func` of the coroutines it
//   awaits in);
// - concurrent.futures.ThreadPoolExecutor (loop.run_in_executor, its default
//   executor, asyncio.to_thread): the executors whose worker threads run,
//   their max_workers, the workers running an item, and the work items in
//   their queue, each named by its function.
// Only attributes and C functions: no host Python code runs, no object of the
// host changes. Anything unexpected leaves that pool or call out.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_PYTHONPOOLS_H
#define STALLHOUND_PROBE_PYTHONPOOLS_H

#include "PythonFrames.h"

#include <cstdint>

namespace stallhound::probe {

enum class PoolKind : uint8_t { AnyioLimiter, ThreadPoolExecutor };

/// "anyio-limiter", "thread-pool-executor": the finding's call.
const char *poolKindName(PoolKind K);

struct PoolState {
  PoolKind Kind;
  uintptr_t Id;    // the pool object's address, for this sample only
  uint32_t Size;   // tokens, max_workers
  uint32_t Busy;   // borrowed tokens, workers running an item
  uint32_t Queued; // tasks or work items waiting
};

/// A task or work item in a pool's queue.
struct QueuedCall {
  uintptr_t Id; // the object's address
  uint8_t Pool; // index into PoolObservation::Pools
  /// Filled only for calls the caller did not know yet (IsKnown).
  bool Named;
  PythonFrame Function; // what it will run: name, file, def line
};

struct PoolObservation {
  static constexpr unsigned MaxPools = 16;
  static constexpr unsigned MaxCalls = 256;
  PoolState Pools[MaxPools];
  unsigned PoolCount;
  QueuedCall Calls[MaxCalls]; // the first MaxCalls of all queues
  unsigned CallCount;
  /// Whether anyio or concurrent.futures' thread pool is imported at all.
  bool ModulesLoaded;
};

/// Whether the caller already knows the call with this id (its function is
/// not read again).
using KnownCallFn = bool (*)(uintptr_t Id);

/// Takes the GIL, reads every pool and releases it; false (nothing read)
/// when the interpreter cannot be used now. From the Python helper thread
/// only.
bool observePythonPools(PoolObservation &Out, KnownCallFn IsKnown);

} // namespace stallhound::probe

#endif
