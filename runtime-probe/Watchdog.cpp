//===- Watchdog.cpp - Samples loops that stay busy past the threshold -----===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The handshake: the watchdog sees a loop busy in iteration N for longer than
// the threshold, stores N in SampleRequested and signals the thread; the
// handler unwinds only if the thread is still busy in iteration N, and
// publishes the raw stack by storing N in SampleTaken. The loop thread reads
// the sample when the iteration ends. Threads inside an intercepted sleep or
// wait are never signalled: that would cut the host's call short.
//
//===----------------------------------------------------------------------===//

#include "Watchdog.h"

#include "Clock.h"
#include "GilContention.h"
#include "LoopTracker.h"
#include "OpenStalls.h"
#include "PoolSaturation.h"
#include "Probe.h"
#include "PythonFrames.h"
#include "PythonHandler.h"
#include "RealFunctions.h"
#include "ReportWriter.h"
#include "Settings.h"
#include "StackSampler.h"

#include <cerrno>
#include <csignal>
#include <pthread.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace stallhound::probe {

SamplingState TheSampling;
std::atomic<uint32_t> PythonHelperEpoch{0};

namespace {

using SigactionFn = int (*)(int, const struct sigaction *, struct sigaction *);
STALLHOUND_REAL(SigactionFn, sigaction, nullptr)

std::atomic<bool> HandlerInstalled{false};
std::atomic<bool> PythonHelperRunning{false};
sem_t PythonWork;

/// A stall's Python frames are read from half the threshold on, and again on
/// each tick until a read shows the program's code, at most this many times.
/// The helper waits for the GIL: a single read asked for at the threshold
/// may come after the endpoint returned, while the framework sends its
/// response in the same iteration.
constexpr uint32_t MaxPythonReadsPerStall = 16;

/// Asks the Python helper for the loop's Python frames in this iteration.
void requestPythonSample(LoopSlot &S, uint64_t Iteration) {
  if (!PythonHelperRunning.load(std::memory_order_relaxed) ||
      S.PythonTaken.load(std::memory_order_relaxed) == Iteration)
    return;
  if (S.PythonAskedIteration != Iteration) {
    S.PythonAskedIteration = Iteration;
    S.PythonAsks = 0;
  }
  if (S.PythonAsks >= MaxPythonReadsPerStall)
    return;
  ++S.PythonAsks;
  S.PythonRequested.store(Iteration, std::memory_order_release);
  sem_post(&PythonWork);
}

/// Runs Read, which takes the GIL, with PythonHelperEpoch odd meanwhile.
template <typename ReadFn> void holdingGil(ReadFn Read) {
  PythonHelperEpoch.fetch_add(1, std::memory_order_seq_cst);
  Read();
  PythonHelperEpoch.fetch_add(1, std::memory_order_seq_cst);
}

/// Reads the Python frames of loops the watchdog found stalled, and of the
/// threads that kept the GIL from a loop. It waits for the GIL, which the
/// watchdog itself must never do.
void *pythonHelperMain(void *) {
  CurrentThread.GuardDepth = 1;
  pthread_setname_np(pthread_self(), "stallhound-py");
  forgetPools();
  for (;;) {
    while (sem_wait(&PythonWork) != 0) {
    }
    if (takePoolSampleRequest())
      holdingGil([] { samplePools(); });
    for (LoopSlot &S : LoopSlots) {
      if (!S.Tid.load(std::memory_order_relaxed) ||
          !S.PendingGilWaits.load(std::memory_order_relaxed))
        continue;
      holdingGil([&] { attributeGilWaits(S); });
    }
    for (LoopSlot &S : LoopSlots) {
      // One read per request: other wakes (GIL waits, pools) read nothing.
      uint64_t Wanted =
          S.PythonRequested.exchange(0, std::memory_order_acq_rel);
      if (!S.Tid.load(std::memory_order_relaxed) || !Wanted ||
          S.PythonTaken.load(std::memory_order_relaxed) == Wanted ||
          S.Iteration.load(std::memory_order_acquire) != Wanted)
        continue;
      PythonStack Stack;
      bool Read = false;
      holdingGil([&] { Read = capturePythonStackOf(S.PthreadId, Stack); });
      if (!Read)
        continue;
      // Still the same stall? Else the frames belong to later work.
      if (S.Iteration.load(std::memory_order_acquire) != Wanted ||
          S.Phase.load(std::memory_order_acquire) == PhaseIdle)
        continue;
      // The first read showing the program's code names the stall: later
      // ones never replace it (takenPythonSample).
      if (hasProgramFrame(Stack)) {
        S.PythonSample = Stack;
        S.PythonTaken.store(Wanted, std::memory_order_release);
      } else if (S.PythonFallbackTaken.load(std::memory_order_relaxed) !=
                 Wanted) {
        S.PythonFallback = Stack;
        S.PythonFallbackTaken.store(Wanted, std::memory_order_release);
      }
    }
  }
  return nullptr;
}

void onSampleSignal(int, siginfo_t *Info, void *UContext) {
  int SavedErrno = errno;
  // libunwind takes its own mutex: through the probe's lock hook, which must
  // forward it untimed (timing it would unwind again, under that mutex).
  RecursionGuard Guard;
  LoopSlot *S = CurrentThread.Slot;
  if (S && Info && Info->si_code == SI_TKILL &&
      Info->si_pid == int(syscall(SYS_getpid))) {
    S->SignalsReceived.store(
        S->SignalsReceived.load(std::memory_order_relaxed) + 1,
        std::memory_order_relaxed);
    uint64_t Wanted = S->SampleRequested.load(std::memory_order_acquire);
    if (S->Phase.load(std::memory_order_relaxed) == PhaseBusy &&
        S->Iteration.load(std::memory_order_relaxed) == Wanted &&
        S->SampleTaken.load(std::memory_order_relaxed) != Wanted) {
      captureStackFromSignal(UContext, S->Sample);
      std::atomic_signal_fence(std::memory_order_release);
      S->SampleTaken.store(Wanted, std::memory_order_release);
      S->Samples.fetch_add(1, std::memory_order_relaxed);
      TheSampling.SamplesTaken.fetch_add(1, std::memory_order_relaxed);
    } else {
      TheSampling.SamplesLate.fetch_add(1, std::memory_order_relaxed);
    }
  }
  errno = SavedErrno;
}

bool signalIsFree(int Signal) {
  struct sigaction Current;
  if (real_sigaction()(Signal, nullptr, &Current) != 0)
    return false;
  return !(Current.sa_flags & SA_SIGINFO) && Current.sa_handler == SIG_DFL;
}

bool installHandler() {
  int Signal = TheSettings.SampleSignal;
  if (!Signal) {
    for (int Candidate = SIGRTMAX - 3; Candidate > SIGRTMIN + 4; --Candidate)
      if (signalIsFree(Candidate)) {
        Signal = Candidate;
        break;
      }
  } else if (!signalIsFree(Signal)) {
    Signal = 0;
  }
  if (!Signal) {
    TheSampling.OffReason = "no free real-time signal";
    return false;
  }
  struct sigaction Action = {};
  Action.sa_sigaction = onSampleSignal;
  Action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigfillset(&Action.sa_mask);
  if (real_sigaction()(Signal, &Action, nullptr) != 0) {
    TheSampling.OffReason = "sigaction failed";
    return false;
  }
  TheSampling.Signal = Signal;
  HandlerInstalled = true;
  return true;
}

uint64_t watchdogPeriodNs() {
  uint64_t Period = TheSettings.ThresholdNs / 5;
  if (Period < 1'000'000)
    Period = 1'000'000;
  if (Period > 50'000'000)
    Period = 50'000'000;
  return Period;
}

void sleepNs(uint64_t Ns) {
  timespec Ts{time_t(Ns / 1000000000u), long(Ns % 1000000000u)};
  while (clock_nanosleep(CLOCK_MONOTONIC, 0, &Ts, &Ts) == EINTR) {
  }
}

void sampleStalledLoops(int Pid, uint64_t NowTicks) {
  if (!TheSampling.Enabled.load(std::memory_order_acquire))
    return;
  for (LoopSlot &S : LoopSlots) {
    int Tid = S.Tid.load(std::memory_order_relaxed);
    uint32_t Phase = S.Phase.load(std::memory_order_acquire);
    if (!Tid ||
        !(S.Confirmed.load(std::memory_order_acquire) ||
          S.SampledBeforeConfirmed.load(std::memory_order_acquire)) ||
        (Phase != PhaseBusy && Phase != PhaseFirstStep))
      continue;
    uint64_t Iteration = S.Iteration.load(std::memory_order_acquire);
    uint64_t Since = S.BusySinceTicks.load(std::memory_order_acquire);
    if (S.Iteration.load(std::memory_order_acquire) != Iteration ||
        NowTicks < Since)
      continue;
    uint64_t BusyNs = ticksToNs(NowTicks - Since);
    if (BusyNs >= TheSettings.ThresholdNs / 2)
      requestPythonSample(S, Iteration);
    if (Phase != PhaseBusy || BusyNs < TheSettings.ThresholdNs ||
        S.SampleRequested.load(std::memory_order_relaxed) == Iteration)
      continue;
    S.SampleRequested.store(Iteration, std::memory_order_seq_cst);
    if (S.Phase.load(std::memory_order_seq_cst) != PhaseBusy ||
        S.Iteration.load(std::memory_order_seq_cst) != Iteration)
      continue;
    if (!TheSampling.Enabled.load(std::memory_order_acquire))
      return;
    // A thread that blocks the signal keeps it pending: never queue a
    // second one (real-time signals queue up to the host's limit).
    if (S.SignalsSent.load(std::memory_order_relaxed) !=
        S.SignalsReceived.load(std::memory_order_relaxed))
      continue;
    S.SignalsSent.fetch_add(1, std::memory_order_relaxed);
    syscall(SYS_tgkill, Pid, Tid, TheSampling.Signal);
    TheSampling.SignalsSent.fetch_add(1, std::memory_order_relaxed);
  }
}

void *watchdogMain(void *) {
  CurrentThread.GuardDepth = 1;
  pthread_setname_np(pthread_self(), "stallhound-wd");
  int Pid = int(getpid());
  uint64_t Period = watchdogPeriodNs();
  // Also without sampling: open stalls are streamed either way.
  for (;;) {
    sleepNs(Period);
    uint64_t NowTicks = loopTicks();
    sampleStalledLoops(Pid, NowTicks);
    streamOpenStalls(NowTicks);
    if (PythonHelperRunning.load(std::memory_order_relaxed) &&
        poolSampleDue(monotonicNs()))
      sem_post(&PythonWork);
  }
  return nullptr;
}

void *reporterMain(void *) {
  CurrentThread.GuardDepth = 1;
  pthread_setname_np(pthread_self(), "stallhound-rep");
  for (;;) {
    sleepNs(TheSettings.FlushNs);
    refineLoopClock();
    if (reportStarted())
      writeSummary(false);
  }
  return nullptr;
}

void startThread(void *(*Main)(void *)) {
  sigset_t All, Old;
  sigfillset(&All);
  pthread_sigmask(SIG_SETMASK, &All, &Old);
  pthread_t Thread;
  pthread_attr_t Attributes;
  pthread_attr_init(&Attributes);
  pthread_attr_setdetachstate(&Attributes, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&Attributes, 256 * 1024);
  pthread_create(&Thread, &Attributes, Main, nullptr);
  pthread_attr_destroy(&Attributes);
  pthread_sigmask(SIG_SETMASK, &Old, nullptr);
}

} // namespace

void wakePythonHelper() {
  if (PythonHelperRunning.load(std::memory_order_relaxed))
    sem_post(&PythonWork);
}

void startBackgroundThreads() {
  static bool UnwinderLoaded = false;
  if (!UnwinderLoaded) {
    UnwinderLoaded = true;
    loadUnwinder();
  }
  if (!TheSettings.Sample) {
    TheSampling.OffReason = "disabled by STALLHOUND_SAMPLE=0";
  } else if (!HandlerInstalled && TheSampling.OffReason.load() == nullptr) {
    installHandler();
  }
  // Once per process (again in a forked child, where threads are gone).
  if (processRunsPython() && sem_init(&PythonWork, 0, 0) == 0) {
    PythonHelperRunning = true;
    startThread(pythonHelperMain);
  }
  if (HandlerInstalled && TheSampling.OffReason.load() == nullptr)
    TheSampling.Enabled = true;
  startThread(watchdogMain);
  startThread(reporterMain);
}

bool hostClaimsSignal(int Signal) {
  if (!HandlerInstalled || Signal != TheSampling.Signal)
    return false;
  TheSampling.Enabled = false;
  TheSampling.OffReason =
      "the host installed a handler for the sampling signal";
  HandlerInstalled = false;
  return true;
}

bool probeOwnsSignal(int Signal) {
  return HandlerInstalled && Signal == TheSampling.Signal;
}

} // namespace stallhound::probe
