//===- Clock.h - Monotonic and wall-clock time in nanoseconds ---*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_CLOCK_H
#define STALLHOUND_PROBE_CLOCK_H

#include <atomic>
#include <cstdint>
#include <time.h>
#include <x86intrin.h>

namespace stallhound::probe {

/// CLOCK_MONOTONIC through the vDSO: about 20 ns, no system call.
inline uint64_t monotonicNs() {
  timespec Ts;
  clock_gettime(CLOCK_MONOTONIC, &Ts);
  return uint64_t(Ts.tv_sec) * 1000000000u + uint64_t(Ts.tv_nsec);
}

inline uint64_t wallNs() {
  timespec Ts;
  clock_gettime(CLOCK_REALTIME, &Ts);
  return uint64_t(Ts.tv_sec) * 1000000000u + uint64_t(Ts.tv_nsec);
}

inline double nsToMs(uint64_t Ns) { return double(Ns) / 1e6; }

/// The clock of the hot path: the TSC where it is invariant and the kernel's
/// clock source (12 ns to read here, CLOCK_MONOTONIC takes 29), else
/// CLOCK_MONOTONIC itself. Ticks become nanoseconds with a 32.32 fixed-point
/// factor calibrated against CLOCK_MONOTONIC and refined while running.
struct LoopClockState {
  std::atomic<bool> UseTsc{false}; // set last, once the rest is known
  std::atomic<uint64_t> NsPerTick32{uint64_t(1) << 32};
  uint64_t BaseTicks = 0;
  uint64_t BaseNs = 0;
};

extern LoopClockState TheLoopClock;

inline uint64_t loopTicks() {
  return TheLoopClock.UseTsc.load(std::memory_order_relaxed) ? __rdtsc()
                                                             : monotonicNs();
}

inline uint64_t ticksToNs(uint64_t Ticks) {
  return uint64_t((unsigned __int128)Ticks * TheLoopClock.NsPerTick32.load(
                                                 std::memory_order_relaxed) >>
                  32);
}

/// A loop-clock reading as a CLOCK_MONOTONIC time.
inline uint64_t ticksToMonotonicNs(uint64_t Ticks) {
  return Ticks >= TheLoopClock.BaseTicks
             ? TheLoopClock.BaseNs + ticksToNs(Ticks - TheLoopClock.BaseTicks)
             : TheLoopClock.BaseNs - ticksToNs(TheLoopClock.BaseTicks - Ticks);
}

/// Once per process, before the first loop wait is timed: decides on the TSC
/// and measures its rate over 1 ms. A thread that comes while another
/// calibrates waits for it: both must time with the same clock.
void calibrateLoopClock();
/// Refines the rate over the time since calibration (report thread).
void refineLoopClock();

/// Writes TimeNs (wall clock) as ISO 8601 UTC with milliseconds into Out
/// (at least 32 bytes).
void formatIsoTime(uint64_t WallNs, char *Out, unsigned Size);

} // namespace stallhound::probe

#endif
