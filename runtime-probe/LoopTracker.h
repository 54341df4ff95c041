//===- LoopTracker.h - Event-loop threads and their iterations --*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A thread becomes a loop thread when it waits twice on the same thing: the
// same epoll fd, or the same poll/select call site. Only waits on that key end
// an iteration; any other wait made while the loop is busy is a blocking call.
// Everything here that runs on each wait is lock-free and allocation-free.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_LOOPTRACKER_H
#define STALLHOUND_PROBE_LOOPTRACKER_H

#include "DurationBuckets.h"
#include "Findings.h"
#include "PythonFrames.h"
#include "ThreadState.h"

#include <atomic>
#include <cerrno>
#include <cstdint>

namespace stallhound::probe {

enum LoopPhase : uint32_t {
  PhaseIdle = 0,   // in the loop's own wait (or not a loop yet)
  PhaseBusy = 1,   // running handlers: the watchdog may sample
  PhaseInCall = 2, // busy, but inside an intercepted blocking call or wait
  /// From a CPython event loop's creation to its thread's first wait on it:
  /// timed and its Python frames read, but no blocking call is recorded nor
  /// signal sent (the thread may be no loop: another thread may run it).
  PhaseFirstStep = 3,
};

constexpr unsigned BusyBuckets = DurationBuckets;
constexpr unsigned MaxCandidates = 4;
constexpr unsigned CallSiteCacheSize = 32;
constexpr unsigned FdCacheSize = 64;

struct WaitCandidate {
  uint64_t Key;
  uint32_t Hits;
  uint64_t LastReturnTicks;
  const char *Wait;
};

/// How a file descriptor behaves, checked with fcntl/fstat at most every
/// 100 ms per fd (a server reads its non-blocking sockets all the time), or
/// known from the path it was opened by. A KernelFile (/proc, /sys) is served
/// from the kernel's memory: like a stream, it blocks only when it is slow.
enum class FdBehavior : uint8_t {
  Unknown,
  NonBlocking,
  File,
  Stream,
  KernelFile
};

struct FdCacheEntry {
  int Fd;
  FdBehavior Behavior;
  uint64_t CheckedTicks;
};

struct CallSiteEntry {
  uintptr_t Site;
  const char *Call;
  int Finding;
  uint32_t Captures;
};

/// One per thread that waited. The fields each wait touches come first, in
/// two cache lines, so that a wait touches as little memory as possible.
struct alignas(64) LoopSlot {
  // Hot: every wait.
  std::atomic<uint32_t> Phase; // shared with the watchdog and the handler
  std::atomic<bool> Confirmed;
  uint64_t LoopKey;
  std::atomic<uint64_t> BusySinceTicks; // loop clock (Clock.h)
  std::atomic<uint64_t> Iteration;
  uint64_t LastLoopWaitTicks;
  uint64_t IterWorstNs;
  int IterWorstFinding;
  uint64_t IterGilNs;               // GIL waits in this iteration
  std::atomic<uint64_t> Iterations; // statistics: written by the owner only
  std::atomic<uint64_t> BusyTotalNs;
  std::atomic<uint64_t> BusyMaxNs;
  std::atomic<uint64_t> Buckets[BusyBuckets];

  // Cold: owner thread only.
  std::atomic<int> Tid;
  const char *WaitName;
  const char *IterWorstCall;
  FindingKind IterWorstKind;
  WaitCandidate Candidates[MaxCandidates];
  uint64_t OtherKey;
  uint32_t OtherStreak;
  CallSiteEntry CallSites[CallSiteCacheSize];
  FdCacheEntry FdCache[FdCacheSize];

  // Cold: shared with the watchdog and the signal handler.
  /// The intercepted call in progress while PhaseInCall, for the watchdog's
  /// open-stall records; CurrentCallSite is the host's return address (0 when
  /// unknown).
  std::atomic<const char *> CurrentCall;
  std::atomic<uintptr_t> CurrentCallSite;
  std::atomic<uint64_t> SampleRequested;
  std::atomic<uint64_t> SampleTaken;
  std::atomic<uint32_t> SignalsReceived;
  std::atomic<uint32_t> SignalsSent; // by the watchdog; > received: pending
  StackTrace Sample;

  // Python CPU stalls: the watchdog asks the Python helper thread, which
  // reads the loop thread's Python frames and publishes them like a sample:
  // the first read that shows the program's code (PythonTaken), else the
  // first read at all (PythonFallbackTaken). Each is written once per
  // iteration, so a late read (the endpoint returned, the framework sends
  // its response) never replaces the program's frames.
  unsigned long PthreadId;
  std::atomic<uint64_t> PythonRequested;
  std::atomic<uint64_t> PythonTaken;
  std::atomic<uint64_t> PythonFallbackTaken;
  uint64_t PythonAskedIteration; // watchdog only
  uint32_t PythonAsks;           // in PythonAskedIteration
  PythonStack PythonSample;
  PythonStack PythonFallback;
  /// Set in a Python process when the thread creates an epoll fd: its first
  /// steps are sampled before it is confirmed as a loop.
  std::atomic<bool> SampledBeforeConfirmed;
  /// The epoll fd the thread created and has not waited on yet (owner
  /// only): the busy time until its first wait is the loop's first step.
  uint64_t PreLoopKey;

  // GIL waits (GilContention.h): statistics, and the waits not yet
  // attributed to the thread that held the GIL.
  std::atomic<uint64_t> GilWaits;
  std::atomic<uint64_t> GilWaitTotalNs;
  std::atomic<uint64_t> GilWaitMaxNs;
  std::atomic<uint64_t> PendingGilWaits;
  std::atomic<uint64_t> PendingGilNs;
  std::atomic<uint64_t> PendingGilMaxNs;
  std::atomic<void *> GilHolder;
  uint64_t LastGilRequestNs; // owner only

  // Cold statistics.
  std::atomic<uint64_t> Stalls;
  std::atomic<uint64_t> StallTotalNs;
  std::atomic<uint64_t> StallMaxNs;
  std::atomic<uint64_t> Samples;
  char ThreadName[16];
};

/// Statistics of a slot that only its owner thread writes: no atomic
/// read-modify-write on the hot path, readers see a recent value.
inline void addRelaxed(std::atomic<uint64_t> &Counter, uint64_t Value) {
  Counter.store(Counter.load(std::memory_order_relaxed) + Value,
                std::memory_order_relaxed);
}

inline void raiseMax(std::atomic<uint64_t> &Max, uint64_t Value) {
  if (Value > Max.load(std::memory_order_relaxed))
    Max.store(Value, std::memory_order_relaxed);
}

constexpr unsigned MaxLoopSlots = 128;
extern LoopSlot LoopSlots[MaxLoopSlots];
extern std::atomic<uint32_t> ForkGeneration;
extern std::atomic<bool> ProbeActive;
extern std::atomic<bool> ShuttingDown;
/// Bumped whenever a thread's slot is freed: untracked threads try again.
extern std::atomic<uint32_t> SlotReleases;

LoopSlot *claimSlot(ThreadState &T);
/// Once at load: frees a thread's slot when it exits.
void createSlotKey();

inline LoopSlot *currentSlot() {
  ThreadState &T = CurrentThread;
  if (__builtin_expect(T.Slot && T.Generation == ForkGeneration.load(
                                                     std::memory_order_relaxed),
                       1))
    return T.Slot;
  return claimSlot(T);
}

/// The slot of the calling thread when it is a loop thread running handlers,
/// else null. Blocking calls are only findings then.
inline LoopSlot *busyLoopSlot() {
  ThreadState &T = CurrentThread;
  if (T.GuardDepth || !T.Slot ||
      T.Generation != ForkGeneration.load(std::memory_order_relaxed))
    return nullptr;
  LoopSlot *S = T.Slot;
  return S->Phase.load(std::memory_order_relaxed) == PhaseBusy ? S : nullptr;
}

struct WaitTicket {
  LoopSlot *Slot = nullptr;
  const char *Name = nullptr;
  uint64_t StartTicks = 0;
  uint32_t SignalsBefore = 0;
  int Candidate = -1;
  bool IsLoopWait = false;
  bool Nested = false;
};

/// Called by each wait hook before the real wait. Key identifies the wait
/// (epoll fd or call site); MayBlock is false for a zero timeout.
WaitTicket beginWait(uint64_t Key, const char *Name, bool MayBlock);
/// Called after the real wait returned; keeps errno.
void endWait(const WaitTicket &W, uintptr_t CallSite);

/// True when the wait failed with EINTR because the probe's sampling signal
/// landed in it (a race of a few instructions: the watchdog only signals busy
/// loops). The hook then waits again for the remaining time, so the host never
/// sees an EINTR of the probe's making.
inline bool interruptedByProbe(WaitTicket &W, int Result) {
  if (Result != -1 || !W.Slot || errno != EINTR)
    return false;
  uint32_t Received = W.Slot->SignalsReceived.load(std::memory_order_relaxed);
  if (Received == W.SignalsBefore)
    return false;
  W.SignalsBefore = Received;
  return true;
}

/// Nanoseconds since the wait began (for the time left after a retry).
uint64_t elapsedNs(const WaitTicket &W);

inline uint64_t epollKey(int EpollFd) {
  return (1ull << 63) | unsigned(EpollFd);
}

RunPhase currentRunPhase(const LoopSlot *S);

/// The Python frames read during Iteration: the first read showing the
/// program's code, else the first read; false when there was none.
bool takenPythonSample(const LoopSlot &S, uint64_t Iteration, PythonStack &Out);

/// The calling thread created an epoll fd (Key): in a Python process, with
/// asyncio's or uvloop's code on the stack, the loop being made. Until the
/// thread's first wait on it (uvloop imports the app there) it is in the
/// loop's first step (PhaseFirstStep): its Python frames are read, and a long
/// step is a stall of the startup phase.
void noteLoopCreated(uint64_t Key);
/// The calling thread closes Fd: an epoll fd closed before it was waited on
/// was no loop (selectors probes for epoll at import time).
void noteLoopFdClosed(int Fd);

/// Starts the probe's report and background threads on first need (and again
/// in a forked child). Cheap after the first call.
void ensureStarted();
/// Starts only the background threads (the watchdog may then sample a loop's
/// first step before the report starts with the loop).
void ensureThreadsStarted();

} // namespace stallhound::probe

#endif
