//===- LoopTracker.cpp - Event-loop threads and their iterations ----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "LoopTracker.h"

#include "BlockingCalls.h"
#include "Clock.h"
#include "LoopSlotsOverflow.h"
#include "PythonApi.h"
#include "ReportWriter.h"
#include "ServingPhase.h"
#include "Settings.h"
#include "StackSampler.h"

#include <cstddef>
#include <cstring>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace stallhound::probe {

LoopSlot LoopSlots[MaxLoopSlots];
std::atomic<uint32_t> ForkGeneration{1};
std::atomic<bool> ProbeActive{false};
std::atomic<bool> ShuttingDown{false};
std::atomic<uint32_t> SlotReleases{0};

namespace {

pthread_key_t SlotKey;
bool SlotKeyCreated = false;

/// A dead thread's slot is freed for the next thread; a loop's statistics
/// stay in the report (LoopSlotsOverflow.h). The watchdog must never signal
/// its tid again, which another thread may reuse.
void releaseSlot(void *Pointer) {
  auto *S = static_cast<LoopSlot *>(Pointer);
  // First: a sampling signal landing meanwhile must find no slot to write.
  CurrentThread.Slot = nullptr;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  S->Phase.store(PhaseIdle, std::memory_order_seq_cst);
  if (S->Confirmed.load())
    keepEndedLoop(*S);
  // Everything but Tid first: the slot is free for another thread only once
  // it is clean.
  auto *Bytes = reinterpret_cast<char *>(S);
  size_t TidAt = offsetof(LoopSlot, Tid);
  size_t AfterTid = TidAt + sizeof(S->Tid);
  memset(Bytes, 0, TidAt);
  memset(Bytes + AfterTid, 0, sizeof(LoopSlot) - AfterTid);
  S->Tid.store(0, std::memory_order_release);
  SlotReleases.fetch_add(1, std::memory_order_release);
}

} // namespace

void createSlotKey() {
  SlotKeyCreated = pthread_key_create(&SlotKey, releaseSlot) == 0;
}

LoopSlot *claimSlot(ThreadState &T) {
  if (!ProbeActive.load(std::memory_order_acquire) || T.GuardDepth)
    return nullptr;
  uint32_t Generation = ForkGeneration.load(std::memory_order_relaxed);
  uint32_t Releases = SlotReleases.load(std::memory_order_acquire);
  if (T.Untracked && T.Generation == Generation &&
      T.SlotReleasesSeen == Releases)
    return nullptr;
  RecursionGuard Guard;
  ErrnoKeeper KeepErrno;
  T.Slot = nullptr;
  T.Generation = Generation;
  // Before the thread's first wait returns: uvloop runs the app's startup
  // before its loop first waits, and its blocking calls need Python frames.
  resolvePythonApi();
  int Tid = int(syscall(SYS_gettid));
  for (LoopSlot &S : LoopSlots) {
    int Free = 0;
    if (S.Tid.load(std::memory_order_relaxed) == 0 &&
        S.Tid.compare_exchange_strong(Free, Tid)) {
      prctl(PR_GET_NAME, S.ThreadName);
      S.IterWorstFinding = -1;
      S.PthreadId = (unsigned long)pthread_self();
      T.Slot = &S;
      T.Untracked = false;
      calibrateLoopClock();
      if (SlotKeyCreated)
        pthread_setspecific(SlotKey, &S);
      return &S;
    }
  }
  T.Untracked = true;
  T.SlotReleasesSeen = Releases;
  return nullptr;
}

RunPhase currentRunPhase(const LoopSlot *S) {
  if (ShuttingDown.load(std::memory_order_relaxed) || servingEnded())
    return RunPhase::Shutdown;
  if (!S || S->Iterations.load(std::memory_order_relaxed) == 0)
    return RunPhase::Startup;
  uint64_t Listen = firstListenTicks();
  if (!Listen)
    return RunPhase::BeforeListen;
  // The iteration that called listen() is the last one of startup.
  if (S->BusySinceTicks.load(std::memory_order_relaxed) < Listen)
    return RunPhase::Startup;
  return RunPhase::Running;
}

namespace {

__attribute__((noinline)) void onStall(LoopSlot *S, uint64_t BusyNs,
                                       RunPhase Phase) {
  RecursionGuard Guard;
  uint64_t NowNs = monotonicNs();
  addRelaxed(S->Stalls, 1);
  addRelaxed(S->StallTotalNs, BusyNs);
  raiseMax(S->StallMaxNs, BusyNs);

  StackTrace Stack;
  Stack.Depth = 0;
  Stack.FirstIsPc = false;
  PythonStack Python;
  clearPythonStack(Python);
  const char *Call = "unknown";
  const char *Cause = StallCause::Unknown;
  uint64_t Iteration = S->Iteration.load(std::memory_order_relaxed);
  const char *CallCause = S->IterWorstKind == FindingKind::GilHeldBlocking
                              ? StallCause::GilHeldBlocking
                              : StallCause::BlockingCall;
  // A blocking call that took half the stall explains it; so do GIL waits;
  // else a sample.
  if (S->IterWorstFinding >= 0 && S->IterWorstNs * 2 >= BusyNs &&
      TheFindings.copyStack(S->IterWorstFinding, Stack, Python)) {
    Call = S->IterWorstCall;
    Cause = CallCause;
  } else if (S->IterGilNs * 2 >= BusyNs) {
    Call = "gil-wait";
    Cause = StallCause::GilWait;
  } else if (S->SampleTaken.load(std::memory_order_acquire) == Iteration ||
             takenPythonSample(*S, Iteration, Python)) {
    std::atomic_signal_fence(std::memory_order_acquire);
    if (S->SampleTaken.load(std::memory_order_relaxed) == Iteration)
      Stack = S->Sample;
    if (!Python.Depth)
      takenPythonSample(*S, Iteration, Python);
    Call = "cpu";
    Cause = Python.Depth ? StallCause::PythonCpu : StallCause::NativeCpu;
  } else if (S->IterWorstFinding >= 0) {
    // No sample: the longest call gives context, but does not explain it.
    TheFindings.copyStack(S->IterWorstFinding, Stack, Python);
    Call = S->IterWorstCall;
  }
  bool IsNew = false;
  int Id = TheFindings.record(FindingKind::Stall, Phase, Call,
                              S->Tid.load(std::memory_order_relaxed), Stack,
                              &Python, BusyNs, NowNs, &IsNew);
  if (IsNew)
    TheFindings.setCause(Id, Cause);
  streamOccurrence(FindingKind::Stall, Id, Call, Phase,
                   S->Tid.load(std::memory_order_relaxed), BusyNs, NowNs,
                   int64_t(Iteration));
}

void finishIteration(LoopSlot *S, uint64_t NowTicks) {
  uint64_t BusyNs =
      ticksToNs(NowTicks - S->BusySinceTicks.load(std::memory_order_relaxed));
  // Labeled before counting: the first iteration is startup.
  RunPhase Phase = currentRunPhase(S);
  addRelaxed(S->Iterations, 1);
  addRelaxed(S->BusyTotalNs, BusyNs);
  raiseMax(S->BusyMaxNs, BusyNs);
  addRelaxed(S->Buckets[durationBucket(BusyNs)], 1);
  if (__builtin_expect(BusyNs >= TheSettings.ThresholdNs, 0))
    onStall(S, BusyNs, Phase);
}

__attribute__((noinline)) WaitTicket beginOtherWait(LoopSlot *S, uint64_t Key,
                                                    const char *Name,
                                                    bool MayBlock,
                                                    uint64_t NowTicks) {
  WaitTicket W;
  W.Slot = S;
  W.Name = Name;
  W.StartTicks = NowTicks;
  W.SignalsBefore = S->SignalsReceived.load(std::memory_order_relaxed);
  if (S->Confirmed.load(std::memory_order_relaxed)) {
    // Another wait. A new loop replaces a vanished one only after it waited
    // three times in a row while the old one stayed silent for a second.
    if (Key == S->OtherKey) {
      ++S->OtherStreak;
    } else {
      S->OtherKey = Key;
      S->OtherStreak = 1;
    }
    if (S->OtherStreak >= 3 &&
        ticksToNs(NowTicks - S->LastLoopWaitTicks) >= 1'000'000'000u) {
      S->LoopKey = Key;
      S->WaitName = Name;
      S->OtherStreak = 0;
      S->LastLoopWaitTicks = NowTicks;
      S->Phase.store(PhaseIdle, std::memory_order_release);
      W.IsLoopWait = true;
      return W;
    }
    if (MayBlock && S->Phase.load(std::memory_order_relaxed) == PhaseBusy) {
      S->CurrentCall.store(Name, std::memory_order_relaxed);
      S->CurrentCallSite.store(0, std::memory_order_relaxed);
      S->Phase.store(PhaseInCall, std::memory_order_seq_cst);
      W.Nested = true;
    }
    return W;
  }
  // The first wait on the epoll fd the thread created ends the loop's first
  // step (uvloop imports the app before it).
  if (Key == S->PreLoopKey) {
    S->PreLoopKey = 0;
    uint64_t BusyNs =
        ticksToNs(NowTicks - S->BusySinceTicks.load(std::memory_order_relaxed));
    uint32_t Phase = S->Phase.load(std::memory_order_relaxed);
    if ((Phase == PhaseFirstStep || Phase == PhaseBusy) &&
        BusyNs >= TheSettings.ThresholdNs) {
      ensureStarted();
      onStall(S, BusyNs, RunPhase::Startup);
    }
  }
  // Not a loop yet: count waits per key; the first key seen twice is the loop.
  int Found = -1;
  for (unsigned I = 0; I < MaxCandidates; ++I)
    if (S->Candidates[I].Hits && S->Candidates[I].Key == Key)
      Found = int(I);
  if (Found < 0) {
    unsigned Victim = 0;
    for (unsigned I = 0; I < MaxCandidates; ++I)
      if (S->Candidates[I].Hits < S->Candidates[Victim].Hits)
        Victim = I;
    S->Candidates[Victim] = {Key, 0, 0, Name};
    Found = int(Victim);
  }
  WaitCandidate &C = S->Candidates[Found];
  ++C.Hits;
  W.IsLoopWait = true;
  W.Candidate = Found;
  if (C.Hits >= 2) {
    // A process starts its threads and report files with its first loop.
    ensureStarted();
    S->LoopKey = Key;
    S->WaitName = Name;
    S->LastLoopWaitTicks = NowTicks;
    S->BusySinceTicks.store(C.LastReturnTicks, std::memory_order_relaxed);
    S->Confirmed.store(true, std::memory_order_release);
    finishIteration(S, NowTicks);
  }
  S->Phase.store(PhaseIdle, std::memory_order_release);
  return W;
}

/// A thread with no slot that waits twice in a row on the same key runs a
/// loop the report cannot show: it is counted.
void noteUntrackedWait(uint64_t Key) {
  ThreadState &T = CurrentThread;
  if (!T.Untracked || T.CountedOverCapacity || T.GuardDepth ||
      T.Generation != ForkGeneration.load(std::memory_order_relaxed))
    return;
  if (T.UntrackedKey != Key) {
    T.UntrackedKey = Key;
    T.UntrackedHits = 0;
  }
  if (++T.UntrackedHits < 2)
    return;
  RecursionGuard Guard;
  ErrnoKeeper KeepErrno;
  T.CountedOverCapacity = true;
  countLoopOverCapacity();
}

} // namespace

WaitTicket beginWait(uint64_t Key, const char *Name, bool MayBlock) {
  LoopSlot *S = currentSlot();
  if (!S) {
    noteUntrackedWait(Key);
    return WaitTicket();
  }
  uint64_t NowTicks = loopTicks();
  if (__builtin_expect(S->Confirmed.load(std::memory_order_relaxed) &&
                           Key == S->LoopKey,
                       1)) {
    if (S->Phase.load(std::memory_order_relaxed) == PhaseBusy)
      finishIteration(S, NowTicks);
    S->LastLoopWaitTicks = NowTicks;
    S->Phase.store(PhaseIdle, std::memory_order_release);
    WaitTicket W;
    W.Slot = S;
    W.IsLoopWait = true;
    W.StartTicks = NowTicks;
    W.SignalsBefore = S->SignalsReceived.load(std::memory_order_relaxed);
    return W;
  }
  return beginOtherWait(S, Key, Name, MayBlock, NowTicks);
}

namespace {

/// Whether the Python code creating an epoll fd makes an event loop:
/// asyncio's or uvloop's code is on its stack (a library's own poller, such
/// as kombu's in a worker thread, is no loop), and it is not the selectors
/// module checking at import time that epoll works (it closes the fd at
/// once).
bool pythonMakesEventLoop() {
  PythonStack Python;
  if (!capturePythonStack(Python))
    return false;
  const PythonFrame &Innermost = Python.Frames[0];
  size_t Length = strlen(Innermost.File);
  if (strcmp(Innermost.Function, "_can_use") == 0 && Length >= 12 &&
      strcmp(Innermost.File + Length - 12, "selectors.py") == 0)
    return false;
  for (uint32_t I = 0; I < Python.Depth; ++I)
    if (strstr(Python.Frames[I].File, "/asyncio/") ||
        strstr(Python.Frames[I].File, "/uvloop/"))
      return true;
  return false;
}

} // namespace

void noteLoopCreated(uint64_t Key) {
  if (CurrentThread.GuardDepth)
    return;
  ErrnoKeeper KeepErrno;
  bool RunsPython;
  {
    RecursionGuard Guard;
    RunsPython = processRunsPython();
  }
  LoopSlot *S = RunsPython ? currentSlot() : nullptr;
  if (!S || S->Confirmed.load(std::memory_order_relaxed))
    return;
  RecursionGuard Guard;
  if (!pythonMakesEventLoop())
    return;
  // The watchdog must run to sample this step; the report starts with the
  // loop.
  ensureThreadsStarted();
  S->PreLoopKey = Key;
  S->IterWorstNs = 0;
  S->IterWorstFinding = -1;
  S->IterGilNs = 0;
  S->BusySinceTicks.store(loopTicks(), std::memory_order_relaxed);
  S->Iteration.store(S->Iteration.load(std::memory_order_relaxed) + 1,
                     std::memory_order_release);
  S->SampledBeforeConfirmed.store(true, std::memory_order_release);
  S->Phase.store(PhaseFirstStep, std::memory_order_release);
}

void noteLoopFdClosed(int Fd) {
  ThreadState &T = CurrentThread;
  LoopSlot *S = T.Slot;
  if (!S || T.GuardDepth || Fd < 0 || S->PreLoopKey != epollKey(Fd) ||
      T.Generation != ForkGeneration.load(std::memory_order_relaxed))
    return;
  S->PreLoopKey = 0;
  S->SampledBeforeConfirmed.store(false, std::memory_order_relaxed);
  uint32_t FirstStep = PhaseFirstStep;
  S->Phase.compare_exchange_strong(FirstStep, PhaseIdle,
                                   std::memory_order_release);
}

bool takenPythonSample(const LoopSlot &S, uint64_t Iteration,
                       PythonStack &Out) {
  // The helper thread wrote each copy before publishing it, and never writes
  // it again in the same iteration.
  if (S.PythonTaken.load(std::memory_order_acquire) == Iteration) {
    Out = S.PythonSample;
    return true;
  }
  if (S.PythonFallbackTaken.load(std::memory_order_acquire) == Iteration) {
    Out = S.PythonFallback;
    return true;
  }
  return false;
}

uint64_t elapsedNs(const WaitTicket &W) {
  return ticksToNs(loopTicks() - W.StartTicks);
}

void endWait(const WaitTicket &W, uintptr_t CallSite) {
  LoopSlot *S = W.Slot;
  if (!S)
    return;
  uint64_t NowTicks = loopTicks();
  if (W.IsLoopWait) {
    S->IterWorstNs = 0;
    S->IterWorstFinding = -1;
    S->IterGilNs = 0;
    if (W.Candidate >= 0)
      S->Candidates[W.Candidate].LastReturnTicks = NowTicks;
    S->BusySinceTicks.store(NowTicks, std::memory_order_relaxed);
    S->Iteration.store(S->Iteration.load(std::memory_order_relaxed) + 1,
                       std::memory_order_release);
    S->Phase.store(PhaseBusy, std::memory_order_release);
    return;
  }
  if (W.Nested) {
    ErrnoKeeper KeepErrno;
    S->Phase.store(PhaseBusy, std::memory_order_release);
    recordBlockingCall(S, W.Name, FindingKind::BlockingCall,
                       ticksToNs(NowTicks - W.StartTicks), CallSite);
  }
}

} // namespace stallhound::probe
