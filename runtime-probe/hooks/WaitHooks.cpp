//===- WaitHooks.cpp - epoll, poll and select: loop iterations ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Each wait either ends an iteration of the thread's loop (its own epoll fd or
// recurring call site) or, made while the loop is busy, is a blocking call.
// Creating an epoll fd starts the first step of the loop being made.
//
//===----------------------------------------------------------------------===//

#include "LoopTracker.h"
#include "RealFunctions.h"

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>

using namespace stallhound::probe;

namespace {

using EpollCreateFn = int (*)(int);
using EpollWaitFn = int (*)(int, epoll_event *, int, int);
using EpollPwaitFn = int (*)(int, epoll_event *, int, int, const sigset_t *);
using EpollPwait2Fn = int (*)(int, epoll_event *, int, const timespec *,
                              const sigset_t *);
using PollFn = int (*)(pollfd *, nfds_t, int);
using PpollFn = int (*)(pollfd *, nfds_t, const timespec *, const sigset_t *);
using PollChkFn = int (*)(pollfd *, nfds_t, int, size_t);
using PpollChkFn = int (*)(pollfd *, nfds_t, const timespec *, const sigset_t *,
                           size_t);
using SelectFn = int (*)(int, fd_set *, fd_set *, fd_set *, timeval *);
using PselectFn = int (*)(int, fd_set *, fd_set *, fd_set *, const timespec *,
                          const sigset_t *);

STALLHOUND_REAL(EpollCreateFn, epoll_create, nullptr)
STALLHOUND_REAL(EpollCreateFn, epoll_create1, nullptr)
STALLHOUND_REAL(EpollWaitFn, epoll_wait, nullptr)
STALLHOUND_REAL(EpollPwaitFn, epoll_pwait, nullptr)
STALLHOUND_REAL(EpollPwait2Fn, epoll_pwait2, nullptr)
STALLHOUND_REAL(PollFn, poll, nullptr)
STALLHOUND_REAL(PpollFn, ppoll, nullptr)
STALLHOUND_REAL(PollChkFn, __poll_chk, nullptr)
STALLHOUND_REAL(PpollChkFn, __ppoll_chk, nullptr)
STALLHOUND_REAL(SelectFn, select, nullptr)
STALLHOUND_REAL(PselectFn, pselect, nullptr)

bool bypass() {
  return CurrentThread.GuardDepth ||
         !ProbeActive.load(std::memory_order_relaxed);
}

bool mayBlock(const timespec *Timeout) {
  return !Timeout || Timeout->tv_sec || Timeout->tv_nsec;
}

bool mayBlock(const timeval *Timeout) {
  return !Timeout || Timeout->tv_sec || Timeout->tv_usec;
}

uint64_t callSiteKey(uintptr_t Site) { return uint64_t(Site); }

/// What is left of a millisecond timeout after a retry.
int remainingMs(const WaitTicket &W, int Timeout) {
  if (Timeout <= 0)
    return Timeout;
  int64_t Left = int64_t(Timeout) - int64_t(elapsedNs(W) / 1000000u);
  return Left > 0 ? int(Left) : 0;
}

/// What is left of a timespec timeout after a retry, in Buffer.
const timespec *remaining(const WaitTicket &W, const timespec *Timeout,
                          timespec &Buffer) {
  if (!Timeout)
    return nullptr;
  int64_t Left = int64_t(Timeout->tv_sec) * 1000000000 + Timeout->tv_nsec -
                 int64_t(elapsedNs(W));
  if (Left < 0)
    Left = 0;
  Buffer.tv_sec = time_t(Left / 1000000000);
  Buffer.tv_nsec = long(Left % 1000000000);
  return &Buffer;
}

} // namespace

// A new epoll fd is a loop being made: its thread's first step starts here.
STALLHOUND_HOOK int epoll_create(int Size) {
  int Fd = real_epoll_create()(Size);
  if (Fd >= 0 && !bypass())
    noteLoopCreated(epollKey(Fd));
  return Fd;
}

STALLHOUND_HOOK int epoll_create1(int Flags) {
  int Fd = real_epoll_create1()(Flags);
  if (Fd >= 0 && !bypass())
    noteLoopCreated(epollKey(Fd));
  return Fd;
}

STALLHOUND_HOOK int epoll_wait(int Fd, epoll_event *Events, int Max,
                               int Timeout) {
  if (bypass())
    return real_epoll_wait()(Fd, Events, Max, Timeout);
  WaitTicket W = beginWait(epollKey(Fd), "epoll_wait", Timeout != 0);
  int Result = real_epoll_wait()(Fd, Events, Max, Timeout);
  while (interruptedByProbe(W, Result))
    Result = real_epoll_wait()(Fd, Events, Max, remainingMs(W, Timeout));
  endWait(W, STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int epoll_pwait(int Fd, epoll_event *Events, int Max,
                                int Timeout, const sigset_t *Mask) {
  if (bypass())
    return real_epoll_pwait()(Fd, Events, Max, Timeout, Mask);
  WaitTicket W = beginWait(epollKey(Fd), "epoll_pwait", Timeout != 0);
  int Result = real_epoll_pwait()(Fd, Events, Max, Timeout, Mask);
  while (interruptedByProbe(W, Result))
    Result = real_epoll_pwait()(Fd, Events, Max, remainingMs(W, Timeout), Mask);
  endWait(W, STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int epoll_pwait2(int Fd, epoll_event *Events, int Max,
                                 const timespec *Timeout,
                                 const sigset_t *Mask) {
  if (bypass())
    return real_epoll_pwait2()(Fd, Events, Max, Timeout, Mask);
  WaitTicket W = beginWait(epollKey(Fd), "epoll_pwait2", mayBlock(Timeout));
  int Result = real_epoll_pwait2()(Fd, Events, Max, Timeout, Mask);
  timespec Left;
  while (interruptedByProbe(W, Result))
    Result =
        real_epoll_pwait2()(Fd, Events, Max, remaining(W, Timeout, Left), Mask);
  endWait(W, STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int poll(pollfd *Fds, nfds_t Count, int Timeout) {
  if (bypass())
    return real_poll()(Fds, Count, Timeout);
  uintptr_t Site = STALLHOUND_CALL_SITE();
  WaitTicket W = beginWait(callSiteKey(Site), "poll", Timeout != 0);
  int Result = real_poll()(Fds, Count, Timeout);
  while (interruptedByProbe(W, Result))
    Result = real_poll()(Fds, Count, remainingMs(W, Timeout));
  endWait(W, Site);
  return Result;
}

STALLHOUND_HOOK int ppoll(pollfd *Fds, nfds_t Count, const timespec *Timeout,
                          const sigset_t *Mask) {
  if (bypass())
    return real_ppoll()(Fds, Count, Timeout, Mask);
  uintptr_t Site = STALLHOUND_CALL_SITE();
  WaitTicket W = beginWait(callSiteKey(Site), "ppoll", mayBlock(Timeout));
  int Result = real_ppoll()(Fds, Count, Timeout, Mask);
  timespec Left;
  while (interruptedByProbe(W, Result))
    Result = real_ppoll()(Fds, Count, remaining(W, Timeout, Left), Mask);
  endWait(W, Site);
  return Result;
}

STALLHOUND_HOOK int __poll_chk(pollfd *Fds, nfds_t Count, int Timeout,
                               size_t FdsLength) {
  if (bypass())
    return real___poll_chk()(Fds, Count, Timeout, FdsLength);
  uintptr_t Site = STALLHOUND_CALL_SITE();
  WaitTicket W = beginWait(callSiteKey(Site), "poll", Timeout != 0);
  int Result = real___poll_chk()(Fds, Count, Timeout, FdsLength);
  while (interruptedByProbe(W, Result))
    Result = real___poll_chk()(Fds, Count, remainingMs(W, Timeout), FdsLength);
  endWait(W, Site);
  return Result;
}

STALLHOUND_HOOK int __ppoll_chk(pollfd *Fds, nfds_t Count,
                                const timespec *Timeout, const sigset_t *Mask,
                                size_t FdsLength) {
  if (bypass())
    return real___ppoll_chk()(Fds, Count, Timeout, Mask, FdsLength);
  uintptr_t Site = STALLHOUND_CALL_SITE();
  WaitTicket W = beginWait(callSiteKey(Site), "ppoll", mayBlock(Timeout));
  int Result = real___ppoll_chk()(Fds, Count, Timeout, Mask, FdsLength);
  timespec Left;
  while (interruptedByProbe(W, Result))
    Result = real___ppoll_chk()(Fds, Count, remaining(W, Timeout, Left), Mask,
                                FdsLength);
  endWait(W, Site);
  return Result;
}

STALLHOUND_HOOK int select(int Count, fd_set *Read, fd_set *Write,
                           fd_set *Except, timeval *Timeout) {
  if (bypass())
    return real_select()(Count, Read, Write, Except, Timeout);
  uintptr_t Site = STALLHOUND_CALL_SITE();
  WaitTicket W = beginWait(callSiteKey(Site), "select", mayBlock(Timeout));
  // On EINTR Linux's select leaves the fd sets untouched and the time left in
  // *Timeout: a retry reuses both.
  int Result = real_select()(Count, Read, Write, Except, Timeout);
  while (interruptedByProbe(W, Result))
    Result = real_select()(Count, Read, Write, Except, Timeout);
  endWait(W, Site);
  return Result;
}

STALLHOUND_HOOK int pselect(int Count, fd_set *Read, fd_set *Write,
                            fd_set *Except, const timespec *Timeout,
                            const sigset_t *Mask) {
  if (bypass())
    return real_pselect()(Count, Read, Write, Except, Timeout, Mask);
  uintptr_t Site = STALLHOUND_CALL_SITE();
  WaitTicket W = beginWait(callSiteKey(Site), "pselect", mayBlock(Timeout));
  int Result = real_pselect()(Count, Read, Write, Except, Timeout, Mask);
  timespec Left;
  while (interruptedByProbe(W, Result))
    Result = real_pselect()(Count, Read, Write, Except,
                            remaining(W, Timeout, Left), Mask);
  endWait(W, Site);
  return Result;
}
