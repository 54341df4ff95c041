//===- Clock.cpp - Time formatting ----------------------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Clock.h"

#include <cpuid.h>
#include <cstdio>
#include <cstring>

namespace stallhound::probe {

void formatIsoTime(uint64_t WallNs, char *Out, unsigned Size) {
  time_t Seconds = time_t(WallNs / 1000000000u);
  tm Utc;
  gmtime_r(&Seconds, &Utc);
  snprintf(Out, Size, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", Utc.tm_year + 1900,
           Utc.tm_mon + 1, Utc.tm_mday, Utc.tm_hour, Utc.tm_min, Utc.tm_sec,
           unsigned(WallNs / 1000000u % 1000u));
}

LoopClockState TheLoopClock;

namespace {

bool tscIsUsable() {
  unsigned Eax, Ebx, Ecx, Edx;
  if (!__get_cpuid(0x80000007, &Eax, &Ebx, &Ecx, &Edx) || !(Edx & (1u << 8)))
    return false; // no invariant TSC
  FILE *Source = fopen(
      "/sys/devices/system/clocksource/clocksource0/current_clocksource", "re");
  if (!Source)
    return false;
  char Name[32] = "";
  bool IsTsc = fgets(Name, sizeof(Name), Source) && !strncmp(Name, "tsc", 3);
  fclose(Source);
  return IsTsc;
}

void setRate(uint64_t Ticks, uint64_t Ns) {
  if (Ticks > 0 && Ns > 0)
    TheLoopClock.NsPerTick32.store(
        uint64_t(((unsigned __int128)Ns << 32) / Ticks),
        std::memory_order_relaxed);
}

/// A (TSC, CLOCK_MONOTONIC) pair read as close together as this machine
/// allows: the TSC is read before and after the clock, and the tightest of a
/// few tries is kept.
void readPair(uint64_t &Ticks, uint64_t &Ns) {
  Ticks = Ns = 0;
  uint64_t Best = ~uint64_t(0);
  for (int Try = 0; Try < 16; ++Try) {
    uint64_t Before = __rdtsc();
    uint64_t Now = monotonicNs();
    uint64_t After = __rdtsc();
    if (After - Before < Best) {
      Best = After - Before;
      Ticks = Before + (After - Before) / 2;
      Ns = Now;
    }
  }
}

} // namespace

void calibrateLoopClock() {
  static std::atomic<int> State{0}; // 0 to do, 1 running, 2 done
  int Expected = 0;
  if (!State.compare_exchange_strong(Expected, 1)) {
    // Bounded: a child forked in the middle has nobody to finish it.
    uint64_t Deadline = monotonicNs() + 50'000'000;
    while (State.load(std::memory_order_acquire) != 2 &&
           monotonicNs() < Deadline)
      _mm_pause();
    return;
  }
  if (tscIsUsable()) {
    uint64_t Ticks0 = 0, Ns0 = 0, Ticks1 = 0, Ns1 = 0;
    readPair(Ticks0, Ns0);
    // 1 ms, once per process: the rate is then within about 0.01 %, and the
    // report thread refines it over the whole run.
    while (monotonicNs() - Ns0 < 1'000'000) {
    }
    readPair(Ticks1, Ns1);
    TheLoopClock.BaseTicks = Ticks0;
    TheLoopClock.BaseNs = Ns0;
    setRate(Ticks1 - Ticks0, Ns1 - Ns0);
    TheLoopClock.UseTsc.store(true, std::memory_order_release);
  }
  State.store(2, std::memory_order_release);
}

void refineLoopClock() {
  if (!TheLoopClock.UseTsc.load(std::memory_order_acquire))
    return;
  uint64_t Ticks = 0, Ns = 0;
  readPair(Ticks, Ns);
  setRate(Ticks - TheLoopClock.BaseTicks, Ns - TheLoopClock.BaseNs);
}

} // namespace stallhound::probe
