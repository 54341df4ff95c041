//===- PoolSaturation.h - Calls that queued for a worker thread -*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A server that runs blocking work in threads (a def endpoint, run_in_executor)
// has a fixed number of them: when more calls come than threads, the rest
// queue, and their requests wait without any stall of the loop. The Python
// helper looks at the pools (PythonPools.h) every 100 ms while the loop runs
// or a pool has work, remembers when each queued call was first seen and,
// once it leaves the queue, counts its wait under the function it runs: a
// pool-saturation finding per pool kind and function, with the pool's size
// and the longest queue seen. A call counts only if it was seen queued in two
// looks (it waited about 100 ms at least), in one of them while every thread
// of its pool was busy: a pool that never fills says nothing.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_POOLSATURATION_H
#define STALLHOUND_PROBE_POOLSATURATION_H

#include <cstdint>

namespace stallhound::probe {

/// From the watchdog thread at each tick: whether the Python helper should
/// look at the pools now. Cheap, takes nothing.
bool poolSampleDue(uint64_t NowNs);

/// From the Python helper thread when it wakes: whether the watchdog asked
/// for a look (clears the request).
bool takePoolSampleRequest();

/// From the Python helper thread: reads the pools (taking the GIL) and
/// records the waits of the calls that left a full pool's queue.
void samplePools();

/// From the Python helper thread as it starts (again in a forked child).
void forgetPools();

struct PoolFigures {
  uint32_t Size;     // threads (limiter tokens, max_workers)
  uint32_t MaxQueue; // the longest queue seen while the pool was full
};

/// The pool figures of a pool-saturation finding; false for other findings.
bool poolFiguresOf(uint32_t FindingId, PoolFigures &Out);

} // namespace stallhound::probe

#endif
