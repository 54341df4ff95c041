//===- LoopSlotsOverflow.h - Loops that ended, loops with no slot -*- C++ -*-=//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Loop slots are a fixed array. A loop thread that ends leaves its statistics
// here and frees its slot for the next thread; a loop thread that found every
// slot taken is counted here, with its tid and name for the first few.
// Everything is claimed with atomics: no lock, no allocation.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_LOOPSLOTSOVERFLOW_H
#define STALLHOUND_PROBE_LOOPSLOTSOVERFLOW_H

#include "DurationBuckets.h"

#include <atomic>
#include <cstdint>

namespace stallhound::probe {

struct LoopSlot;

/// What the report says of one loop, copied out of its slot.
struct LoopStats {
  int Tid;
  char ThreadName[16];
  const char *WaitName;
  uint64_t Iterations;
  uint64_t BusyTotalNs;
  uint64_t BusyMaxNs;
  uint64_t Buckets[DurationBuckets];
  uint64_t Stalls;
  uint64_t StallTotalNs;
  uint64_t StallMaxNs;
  uint64_t Samples;
  uint64_t GilWaits;
  uint64_t GilWaitTotalNs;
  uint64_t GilWaitMaxNs;
};

void copyLoopStats(const LoopSlot &S, LoopStats &Out);

/// Ended loops listed one by one; later ones are only counted.
constexpr unsigned MaxEndedLoops = 1024;
struct EndedLoop {
  std::atomic<bool> Ready;
  LoopStats Stats;
};
extern EndedLoop EndedLoops[MaxEndedLoops];
/// Entries claimed so far (may exceed MaxEndedLoops: the rest are unlisted).
extern std::atomic<uint64_t> EndedLoopCount;

/// From the ending thread itself, before its slot is freed.
void keepEndedLoop(const LoopSlot &S);

struct UntrackedLoop {
  std::atomic<bool> Ready;
  int Tid;
  char ThreadName[16];
};
constexpr unsigned MaxUntrackedListed = 16;
extern UntrackedLoop UntrackedLoops[MaxUntrackedListed];
/// Loop threads that ran their loop while every slot was taken.
extern std::atomic<uint64_t> LoopsOverCapacity;

/// From a thread with no slot, once, when it waits a second time in a row on
/// the same key (it runs a loop).
void countLoopOverCapacity();

/// In a forked child: the parent's ended and untracked loops are not its own.
void forgetLoopOverflow();

} // namespace stallhound::probe

#endif
