//===- GilContention.cpp - Loop time lost waiting for the GIL -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "GilContention.h"

#include "Clock.h"
#include "LoopTracker.h"
#include "PythonFrames.h"
#include "ReportWriter.h"
#include "Settings.h"
#include "Watchdog.h"

namespace stallhound::probe {

namespace {

/// The helper takes the GIL itself to read the holder's stack: at most this
/// often per loop, so that it does not become the contention it reports.
constexpr uint64_t AttributionPeriodNs = 100'000'000;

/// Max shared with the helper, which resets it.
void raiseSharedMax(std::atomic<uint64_t> &Max, uint64_t Value) {
  uint64_t Seen = Max.load(std::memory_order_relaxed);
  while (Value > Seen && !Max.compare_exchange_weak(Seen, Value))
    ;
}

} // namespace

void recordGilWait(LoopSlot *S, uint64_t DurationNs, void *Holder) {
  S->IterGilNs += DurationNs;
  addRelaxed(S->GilWaits, 1);
  addRelaxed(S->GilWaitTotalNs, DurationNs);
  raiseMax(S->GilWaitMaxNs, DurationNs);
  // Waits shorter than a blocking call are the interpreter's normal hand-offs.
  if (DurationNs < TheSettings.BlockingNs)
    return;
  S->PendingGilWaits.fetch_add(1, std::memory_order_relaxed);
  S->PendingGilNs.fetch_add(DurationNs, std::memory_order_relaxed);
  raiseSharedMax(S->PendingGilMaxNs, DurationNs);
  if (Holder)
    S->GilHolder.store(Holder, std::memory_order_relaxed);
  uint64_t NowNs = monotonicNs();
  if (NowNs - S->LastGilRequestNs >= AttributionPeriodNs) {
    S->LastGilRequestNs = NowNs;
    wakePythonHelper();
  }
}

void attributeGilWaits(LoopSlot &S) {
  if (!S.PendingGilWaits.load(std::memory_order_relaxed))
    return;
  PythonStack Holder;
  capturePythonStackOfState(S.GilHolder.load(std::memory_order_relaxed),
                            Holder);
  uint64_t Count = S.PendingGilWaits.exchange(0, std::memory_order_relaxed);
  uint64_t TotalNs = S.PendingGilNs.exchange(0, std::memory_order_relaxed);
  uint64_t MaxNs = S.PendingGilMaxNs.exchange(0, std::memory_order_relaxed);
  if (!Count)
    return;
  StackTrace NoNativeStack;
  NoNativeStack.Depth = 0;
  NoNativeStack.FirstIsPc = false;
  int Tid = S.Tid.load(std::memory_order_relaxed);
  uint64_t NowNs = monotonicNs();
  RunPhase Phase = currentRunPhase(&S);
  bool IsNew = false;
  int Id = TheFindings.recordBatch(FindingKind::GilContention, Phase, "gil",
                                   Tid, NoNativeStack, &Holder, Count, TotalNs,
                                   MaxNs, NowNs, &IsNew);
  if (IsNew)
    streamOccurrence(FindingKind::GilContention, Id, "gil", Phase, Tid, MaxNs,
                     NowNs);
}

} // namespace stallhound::probe
