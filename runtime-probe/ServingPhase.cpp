//===- ServingPhase.cpp - When a server starts and stops serving ----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ServingPhase.h"

#include "Clock.h"

#include <atomic>

namespace stallhound::probe {

namespace {

constexpr int TrackedFds = 1024; // a listening fd above is never "the last"
std::atomic<uint64_t> ListeningBits[TrackedFds / 64];
std::atomic<int> ListeningCount{0};
std::atomic<uint64_t> FirstListen{0};
std::atomic<bool> Ended{false};

} // namespace

void noteListening(int Fd) {
  uint64_t Expected = 0;
  FirstListen.compare_exchange_strong(Expected, loopTicks() | 1);
  if (Fd < 0 || Fd >= TrackedFds)
    return;
  uint64_t Bit = uint64_t(1) << (Fd % 64);
  if (!(ListeningBits[Fd / 64].fetch_or(Bit) & Bit))
    ListeningCount.fetch_add(1);
}

void noteClosing(int Fd) {
  if (Fd < 0 || Fd >= TrackedFds ||
      !ListeningCount.load(std::memory_order_relaxed))
    return;
  uint64_t Bit = uint64_t(1) << (Fd % 64);
  if ((ListeningBits[Fd / 64].fetch_and(~Bit) & Bit) &&
      ListeningCount.fetch_sub(1) == 1)
    Ended.store(true);
}

uint64_t firstListenTicks() {
  return FirstListen.load(std::memory_order_relaxed);
}

bool servingEnded() { return Ended.load(std::memory_order_relaxed); }

} // namespace stallhound::probe
