//===- LoopSlotsOverflow.cpp - Loops that ended, loops with no slot -------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "LoopSlotsOverflow.h"

#include "LoopTracker.h"

#include <cstring>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace stallhound::probe {

EndedLoop EndedLoops[MaxEndedLoops];
std::atomic<uint64_t> EndedLoopCount{0};
UntrackedLoop UntrackedLoops[MaxUntrackedListed];
std::atomic<uint64_t> LoopsOverCapacity{0};

void copyLoopStats(const LoopSlot &S, LoopStats &Out) {
  Out.Tid = S.Tid.load(std::memory_order_relaxed);
  memcpy(Out.ThreadName, S.ThreadName, sizeof(Out.ThreadName));
  Out.ThreadName[sizeof(Out.ThreadName) - 1] = '\0';
  Out.WaitName = S.WaitName;
  Out.Iterations = S.Iterations.load(std::memory_order_relaxed);
  Out.BusyTotalNs = S.BusyTotalNs.load(std::memory_order_relaxed);
  Out.BusyMaxNs = S.BusyMaxNs.load(std::memory_order_relaxed);
  for (unsigned I = 0; I < DurationBuckets; ++I)
    Out.Buckets[I] = S.Buckets[I].load(std::memory_order_relaxed);
  Out.Stalls = S.Stalls.load(std::memory_order_relaxed);
  Out.StallTotalNs = S.StallTotalNs.load(std::memory_order_relaxed);
  Out.StallMaxNs = S.StallMaxNs.load(std::memory_order_relaxed);
  Out.Samples = S.Samples.load(std::memory_order_relaxed);
  Out.GilWaits = S.GilWaits.load(std::memory_order_relaxed);
  Out.GilWaitTotalNs = S.GilWaitTotalNs.load(std::memory_order_relaxed);
  Out.GilWaitMaxNs = S.GilWaitMaxNs.load(std::memory_order_relaxed);
}

void keepEndedLoop(const LoopSlot &S) {
  uint64_t Index = EndedLoopCount.fetch_add(1, std::memory_order_relaxed);
  if (Index >= MaxEndedLoops)
    return;
  copyLoopStats(S, EndedLoops[Index].Stats);
  EndedLoops[Index].Ready.store(true, std::memory_order_release);
}

void countLoopOverCapacity() {
  uint64_t Index = LoopsOverCapacity.fetch_add(1, std::memory_order_relaxed);
  if (Index >= MaxUntrackedListed)
    return;
  UntrackedLoop &Loop = UntrackedLoops[Index];
  Loop.Tid = int(syscall(SYS_gettid));
  prctl(PR_GET_NAME, Loop.ThreadName);
  Loop.Ready.store(true, std::memory_order_release);
}

void forgetLoopOverflow() {
  // Only the entries used: the others are untouched zero pages.
  uint64_t Ended = EndedLoopCount.exchange(0);
  for (uint64_t I = 0; I < Ended && I < MaxEndedLoops; ++I)
    EndedLoops[I].Ready.store(false, std::memory_order_relaxed);
  for (UntrackedLoop &Loop : UntrackedLoops)
    Loop.Ready.store(false, std::memory_order_relaxed);
  LoopsOverCapacity.store(0);
}

} // namespace stallhound::probe
