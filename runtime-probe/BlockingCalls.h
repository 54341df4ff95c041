//===- BlockingCalls.h - Timing calls that block a busy loop ----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_BLOCKINGCALLS_H
#define STALLHOUND_PROBE_BLOCKINGCALLS_H

#include "Clock.h"
#include "LoopTracker.h"
#include "RealFunctions.h"

#include <sys/socket.h>

namespace stallhound::probe {

/// Opened by a hook before a possibly blocking call. Empty (Slot null) unless
/// the calling thread is a loop thread running handlers; then the loop is
/// marked in-call so the watchdog does not signal it (that would cut a sleep
/// short).
struct CallTicket {
  LoopSlot *Slot = nullptr;
  uint64_t StartTicks = 0; // loop clock, like the iteration it is part of
  uint32_t SignalsBefore = 0;
};

inline CallTicket beginCall(const char *Call, uintptr_t CallSite) {
  CallTicket C;
  LoopSlot *S = busyLoopSlot();
  if (!S)
    return C;
  S->CurrentCall.store(Call, std::memory_order_relaxed);
  S->CurrentCallSite.store(CallSite, std::memory_order_relaxed);
  S->Phase.store(PhaseInCall, std::memory_order_seq_cst);
  C.Slot = S;
  C.SignalsBefore = S->SignalsReceived.load(std::memory_order_relaxed);
  C.StartTicks = loopTicks();
  return C;
}

/// True when the probe's own sampling signal arrived during the call, so an
/// EINTR is ours and the hook should resume the call for the host.
inline bool interruptedByProbe(const CallTicket &C) {
  return C.Slot && C.Slot->SignalsReceived.load(std::memory_order_relaxed) !=
                       C.SignalsBefore;
}

/// Ends a call that always blocks (sleep, DNS, process wait, lock wait).
/// ReadPython: the Python stack may be read (false in the lock hooks, where
/// the interpreter may be acquiring its own GIL).
void endCall(const CallTicket &C, const char *Call, uintptr_t CallSite,
             bool ReadPython = true);
/// Runs Forward (the real call) as a call that always blocks, and returns
/// its result. CallSite is the host's: STALLHOUND_CALL_SITE() in the hook.
template <typename ForwardFn>
auto timedCall(const char *Call, uintptr_t CallSite, ForwardFn Forward) {
  CallTicket C = beginCall(Call, CallSite);
  auto Result = Forward();
  endCall(C, Call, CallSite);
  return Result;
}

/// Ends a call on a file descriptor: a non-blocking fd (or MSG_DONTWAIT in
/// MsgFlags) is no finding; a regular file is a blocking call; a blocking
/// socket or pipe is a blocking call when slow, else latent-blocking.
/// A call that cannot block, known before it is made: MSG_DONTWAIT, or an fd
/// this loop thread checked as non-blocking in the last 100 ms (a server's
/// sockets, read and written on every request). It is not timed at all.
inline bool cannotBlock(int Fd, int MsgFlags) {
  if (MsgFlags & MSG_DONTWAIT)
    return true;
  LoopSlot *S = busyLoopSlot();
  if (!S || Fd < 0)
    return false;
  const FdCacheEntry &Entry = S->FdCache[unsigned(Fd) % FdCacheSize];
  return Entry.Fd == Fd && Entry.Behavior == FdBehavior::NonBlocking &&
         ticksToNs(loopTicks() - Entry.CheckedTicks) < 100'000'000u;
}

void endFdCall(const CallTicket &C, const char *Call, int Fd, int MsgFlags,
               uintptr_t CallSite);

/// Ends an open by path: a blocking call, except that opening a /proc or /sys
/// file is one only when it was slow (latent otherwise), and the new fd's
/// kind is known from its path without an fstat.
void endOpenCall(const CallTicket &C, const char *Path, int Flags, int Fd,
                 uintptr_t CallSite);

/// Ends a wait for another thread (a contended lock, a condition, a join, a
/// semaphore, a file lock): a blocking call when it took at least
/// STALLHOUND_BLOCKING_MS, latent when shorter (it would block the loop the
/// day the other thread is slow).
void endWait(const CallTicket &C, const char *Call, uintptr_t CallSite);
/// The fd was closed: forget what the calling loop thread knew about it.
void forgetFd(int Fd);

/// Ends a call that did not block after all (e.g. WNOHANG, LOCK_NB).
void endCallQuietly(const CallTicket &C);

/// Records one occurrence of a blocking call on a busy loop thread.
/// Fd: a socket or pipe whose peer the finding names, or -1.
void recordBlockingCall(LoopSlot *S, const char *Call, FindingKind Kind,
                        uint64_t DurationNs, uintptr_t CallSite,
                        bool ReadPython = true, int Fd = -1);
void recordBlockingOrLatent(LoopSlot *S, const char *Call, uint64_t DurationNs,
                            uintptr_t CallSite, bool BlocksWhenSlow,
                            bool ReadPython, int Fd = -1);

} // namespace stallhound::probe

#endif
