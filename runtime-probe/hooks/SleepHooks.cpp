//===- SleepHooks.cpp - Sleeps on a busy loop thread ----------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A sleep interrupted by the probe's own sampling signal is resumed for the
// remaining time, so that the host never sees a sleep cut short by the probe;
// other signals interrupt it as they would without the probe.
//
//===----------------------------------------------------------------------===//

#include "BlockingCalls.h"
#include "RealFunctions.h"

#include <cerrno>
#include <time.h>
#include <unistd.h>

using namespace stallhound::probe;

namespace {

using NanosleepFn = int (*)(const timespec *, timespec *);
using ClockNanosleepFn = int (*)(clockid_t, int, const timespec *, timespec *);
using UsleepFn = int (*)(useconds_t);
using SleepFn = unsigned (*)(unsigned);

STALLHOUND_REAL(NanosleepFn, nanosleep, nullptr)
STALLHOUND_REAL(ClockNanosleepFn, clock_nanosleep, "GLIBC_2.17")
STALLHOUND_REAL(UsleepFn, usleep, nullptr)
STALLHOUND_REAL(SleepFn, sleep, nullptr)

} // namespace

STALLHOUND_HOOK int nanosleep(const timespec *Request, timespec *Remaining) {
  CallTicket C = beginCall("nanosleep", STALLHOUND_CALL_SITE());
  if (!C.Slot)
    return real_nanosleep()(Request, Remaining);
  timespec Left = *Request;
  timespec Rest = {};
  int Result;
  for (;;) {
    uint32_t Before = C.Slot->SignalsReceived.load(std::memory_order_relaxed);
    Result = real_nanosleep()(&Left, &Rest);
    if (Result == -1 && errno == EINTR &&
        C.Slot->SignalsReceived.load(std::memory_order_relaxed) != Before) {
      Left = Rest;
      continue;
    }
    break;
  }
  if (Result == -1 && Remaining)
    *Remaining = Rest;
  endCall(C, "nanosleep", STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int clock_nanosleep(clockid_t Clock, int Flags,
                                    const timespec *Request,
                                    timespec *Remaining) {
  CallTicket C = beginCall("clock_nanosleep", STALLHOUND_CALL_SITE());
  if (!C.Slot)
    return real_clock_nanosleep()(Clock, Flags, Request, Remaining);
  timespec Left = *Request;
  timespec Rest = {};
  int Result;
  for (;;) {
    uint32_t Before = C.Slot->SignalsReceived.load(std::memory_order_relaxed);
    Result = real_clock_nanosleep()(Clock, Flags, &Left, &Rest);
    if (Result == EINTR &&
        C.Slot->SignalsReceived.load(std::memory_order_relaxed) != Before) {
      if (!(Flags & TIMER_ABSTIME))
        Left = Rest;
      continue;
    }
    break;
  }
  if (Result == EINTR && Remaining && !(Flags & TIMER_ABSTIME))
    *Remaining = Rest;
  endCall(C, "clock_nanosleep", STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int usleep(useconds_t Microseconds) {
  return timedCall("usleep", STALLHOUND_CALL_SITE(),
                   [&] { return real_usleep()(Microseconds); });
}

STALLHOUND_HOOK unsigned sleep(unsigned Seconds) {
  return timedCall("sleep", STALLHOUND_CALL_SITE(),
                   [&] { return real_sleep()(Seconds); });
}
