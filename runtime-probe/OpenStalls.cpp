//===- OpenStalls.cpp - Stalls in progress, streamed as they last ---------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "OpenStalls.h"

#include "Clock.h"
#include "LoopTracker.h"
#include "ReportWriter.h"
#include "Settings.h"
#include "Symbolizer.h"

namespace stallhound::probe {

namespace {

constexpr unsigned MaxRecordsPerStall = 100;
constexpr unsigned FrequentRecords = 20;
constexpr uint64_t FrequentPeriodNs = 250'000'000;
constexpr uint64_t SlowPeriodNs = 5'000'000'000;

/// What the watchdog streamed about each slot's current stall.
struct OpenStallState {
  int Tid;
  uint64_t Iteration;
  unsigned Records;
  uint64_t NextElapsedNs;
};

OpenStallState States[MaxLoopSlots];
// Watchdog thread only. A pointer: a forked child gets a fresh one.
Symbolizer *Names = nullptr;
// Large: kept off the watchdog's stack.
OpenStallRecord Record;

/// Fills Record from what the slot shows now. False when the stall ended
/// meanwhile (the loop moved to another iteration or back to its wait).
bool readStall(const LoopSlot &S, uint64_t Iteration, uint32_t Phase) {
  Record.Stack.Depth = 0;
  Record.Stack.FirstIsPc = false;
  clearPythonStack(Record.Python);
  Record.Call = "unknown";
  Record.Cause = StallCause::Unknown;
  if (Phase == PhaseInCall) {
    // The host's return address is the one frame known without a signal
    // (the watchdog never signals a thread inside an intercepted call).
    const char *Call = S.CurrentCall.load(std::memory_order_relaxed);
    uintptr_t Site = S.CurrentCallSite.load(std::memory_order_relaxed);
    if (Call) {
      Record.Call = Call;
      Record.Cause = StallCause::BlockingCall;
    }
    if (Site) {
      Record.Stack.Frames[0] = Site;
      Record.Stack.Depth = 1;
    }
  } else {
    // Published by the signal handler and the Python helper, each copy once
    // per iteration, never rewritten until the next one.
    bool Sampled = S.SampleTaken.load(std::memory_order_acquire) == Iteration;
    bool PythonRead = takenPythonSample(S, Iteration, Record.Python);
    if (Sampled)
      Record.Stack = S.Sample;
    if (Sampled || PythonRead) {
      Record.Call = "cpu";
      Record.Cause =
          Record.Python.Depth ? StallCause::PythonCpu : StallCause::NativeCpu;
    }
  }
  return S.Iteration.load(std::memory_order_acquire) == Iteration &&
         S.Phase.load(std::memory_order_acquire) != PhaseIdle;
}

} // namespace

void streamOpenStalls(uint64_t NowTicks) {
  if (!reportFilesOpen())
    return;
  for (unsigned I = 0; I < MaxLoopSlots; ++I) {
    LoopSlot &S = LoopSlots[I];
    int Tid = S.Tid.load(std::memory_order_relaxed);
    if (!Tid || !S.Confirmed.load(std::memory_order_acquire))
      continue;
    uint32_t Phase = S.Phase.load(std::memory_order_acquire);
    uint64_t Iteration = S.Iteration.load(std::memory_order_acquire);
    uint64_t Since = S.BusySinceTicks.load(std::memory_order_acquire);
    if (Phase == PhaseIdle || NowTicks < Since ||
        S.Iteration.load(std::memory_order_acquire) != Iteration)
      continue;
    uint64_t ElapsedNs = ticksToNs(NowTicks - Since);
    if (ElapsedNs < TheSettings.ThresholdNs)
      continue;
    OpenStallState &State = States[I];
    if (State.Tid != Tid || State.Iteration != Iteration)
      State = {Tid, Iteration, 0, 0};
    if (State.Records >= MaxRecordsPerStall || ElapsedNs < State.NextElapsedNs)
      continue;
    if (!readStall(S, Iteration, Phase))
      continue;
    Record.Tid = Tid;
    Record.Iteration = Iteration;
    Record.SinceNs = ticksToMonotonicNs(Since);
    Record.ElapsedNs = ElapsedNs;
    Record.Phase = currentRunPhase(&S);
    if (!Names)
      Names = new Symbolizer;
    streamOpenStall(Record, *Names);
    ++State.Records;
    State.NextElapsedNs =
        ElapsedNs +
        (State.Records < FrequentRecords ? FrequentPeriodNs : SlowPeriodNs);
  }
}

void forgetOpenStalls() {
  for (OpenStallState &State : States)
    State = {0, 0, 0, 0};
  Names = nullptr; // the parent's copy is left alone
}

} // namespace stallhound::probe
