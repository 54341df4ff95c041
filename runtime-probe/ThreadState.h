//===- ThreadState.h - Per-thread probe state and recursion guard -*- C++ -*-=//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_THREADSTATE_H
#define STALLHOUND_PROBE_THREADSTATE_H

#include <cerrno>

#include <cstdint>

namespace stallhound::probe {

struct LoopSlot;

/// Plain data in static TLS: no constructor, no TLS wrapper call, usable from
/// the signal handler.
struct ThreadState {
  LoopSlot *Slot;
  /// The fork generation Slot belongs to; a forked child starts a new one.
  uint32_t Generation;
  /// Non-zero while the probe itself runs on this thread: hooks forward
  /// directly. The probe's own threads keep it set for their whole life.
  uint32_t GuardDepth;
  /// Set once this thread found all slots taken. It tries again after a
  /// slot was freed (SlotReleases moved past SlotReleasesSeen).
  bool Untracked;
  /// Counted in LoopsOverCapacity: it waited twice in a row on UntrackedKey.
  bool CountedOverCapacity;
  uint32_t SlotReleasesSeen;
  uint32_t UntrackedHits;
  uint64_t UntrackedKey;
};

extern __thread ThreadState CurrentThread
    __attribute__((tls_model("initial-exec")));

/// Keeps the hooks out of the way while the probe runs its own code.
class RecursionGuard {
public:
  RecursionGuard() { ++CurrentThread.GuardDepth; }
  ~RecursionGuard() { --CurrentThread.GuardDepth; }
  RecursionGuard(const RecursionGuard &) = delete;
  RecursionGuard &operator=(const RecursionGuard &) = delete;
};

/// Saves errno on construction and restores it on destruction, so that the
/// host sees the errno of its own call.
class ErrnoKeeper {
public:
  ErrnoKeeper() : Saved(errno) {}
  ~ErrnoKeeper() { errno = Saved; }

private:
  int Saved;
};

} // namespace stallhound::probe

#endif
