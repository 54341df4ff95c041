//===- BlockingCalls.cpp - Timing calls that block a busy loop ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "BlockingCalls.h"

#include "PythonApi.h"
#include "PythonFrames.h"
#include "PythonGil.h"
#include "ReportWriter.h"
#include "Settings.h"
#include "StackSampler.h"

#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

namespace stallhound::probe {

namespace {

CallSiteEntry &callSiteEntry(LoopSlot *S, uintptr_t Site, const char *Call) {
  uintptr_t Hash =
      (Site ^ reinterpret_cast<uintptr_t>(Call)) * 0x9e3779b97f4a7c15ull;
  return S->CallSites[(Hash >> 32) % CallSiteCacheSize];
}

FdBehavior checkFd(int Fd) {
  struct stat St;
  if (fstat(Fd, &St) != 0)
    return FdBehavior::Unknown;
  // O_NONBLOCK means nothing to a regular file: it blocks on the disk.
  if (S_ISREG(St.st_mode) || S_ISBLK(St.st_mode) || S_ISDIR(St.st_mode))
    return FdBehavior::File;
  int Flags = fcntl(Fd, F_GETFL);
  if (Flags < 0)
    return FdBehavior::Unknown;
  return Flags & O_NONBLOCK ? FdBehavior::NonBlocking : FdBehavior::Stream;
}

/// Cached per thread for 100 ms; a slow call is always checked afresh (a
/// "non-blocking" fd that took long may have changed, or been reused).
FdBehavior fdBehavior(LoopSlot *S, int Fd, uint64_t DurationNs) {
  if (Fd < 0)
    return FdBehavior::Unknown;
  FdCacheEntry &Entry = S->FdCache[unsigned(Fd) % FdCacheSize];
  uint64_t Now = loopTicks();
  if (Entry.Fd == Fd && Entry.Behavior != FdBehavior::Unknown &&
      DurationNs < TheSettings.BlockingNs &&
      ticksToNs(Now - Entry.CheckedTicks) < 100'000'000u)
    return Entry.Behavior;
  FdBehavior Behavior = checkFd(Fd);
  // fstat sees a regular file; the path it was opened by said /proc or /sys.
  if (Entry.Fd == Fd && Entry.Behavior == FdBehavior::KernelFile &&
      Behavior == FdBehavior::File)
    Behavior = FdBehavior::KernelFile;
  Entry = {Fd, Behavior, Now};
  return Behavior;
}

/// The call is over and the loop thread busy again: how long it took.
uint64_t callEnded(const CallTicket &C) {
  uint64_t DurationNs = ticksToNs(loopTicks() - C.StartTicks);
  C.Slot->Phase.store(PhaseBusy, std::memory_order_release);
  return DurationNs;
}

bool isKernelFilePath(const char *Path) {
  return Path &&
         (strncmp(Path, "/proc/", 6) == 0 || strncmp(Path, "/sys/", 5) == 0);
}

} // namespace

/// A call that blocks only when it is slow: a blocking call from
/// STALLHOUND_BLOCKING_MS on, latent below; any other, a blocking call.
void recordBlockingOrLatent(LoopSlot *S, const char *Call, uint64_t DurationNs,
                            uintptr_t CallSite, bool BlocksWhenSlow,
                            bool ReadPython) {
  FindingKind Kind = FindingKind::BlockingCall;
  if (BlocksWhenSlow && DurationNs < TheSettings.BlockingNs) {
    if (!TheSettings.ReportLatent)
      return;
    Kind = FindingKind::LatentBlocking;
  }
  recordBlockingCall(S, Call, Kind, DurationNs, CallSite, ReadPython);
}

void recordBlockingCall(LoopSlot *S, const char *Call, FindingKind Kind,
                        uint64_t DurationNs, uintptr_t CallSite,
                        bool ReadPython) {
  RecursionGuard Guard;
  ErrnoKeeper KeepErrno;
  uint64_t NowNs = monotonicNs();
  RunPhase Phase = currentRunPhase(S);
  int Tid = S->Tid.load(std::memory_order_relaxed);
  CallSiteEntry &Entry = callSiteEntry(S, CallSite, Call);
  bool Known = Entry.Site == CallSite && Entry.Call == Call &&
               Entry.Finding >= 0 && Entry.Captures > 0;
  // Only for calls that really waited: a fast write may come from a host
  // signal handler (the self-pipe trick), where the interpreter must not be
  // touched. A thread that holds the GIL through the call froze every
  // Python thread with it.
  bool Waited = DurationNs >= TheSettings.BlockingNs;
  if (Kind == FindingKind::BlockingCall && ReadPython && Waited &&
      threadHoldsGil())
    Kind = FindingKind::GilHeldBlocking;
  // Latent calls repeat on every request: a call site costs two stacks.
  // Real blocking calls get a stack each, within the per-second budget. A
  // long one (the stack costs under 4 % of it) from a new call site, or from
  // Python code (whose native call site is the interpreter's, whatever the
  // endpoint), gets one anyway: a burst of short calls (imports reading
  // files) must not hide the handler of a real stall.
  bool WantStack =
      Kind == FindingKind::LatentBlocking ? !Known || Entry.Captures < 2 : true;
  bool LongCall = DurationNs >= 10 * TheSettings.BlockingNs &&
                  (!Known || resolvedPythonApi());
  int Id = -1;
  bool IsNew = false;
  // A long call still spends a token, so that the budget stays a budget.
  bool GotToken = WantStack && TheFindings.takeStackToken(NowNs, !LongCall);
  if (WantStack && (GotToken || LongCall)) {
    StackTrace Stack;
    captureStackHere(Stack);
    PythonStack Python;
    clearPythonStack(Python);
    if (ReadPython && Waited)
      capturePythonStack(Python);
    Id = TheFindings.record(Kind, Phase, Call, Tid, Stack, &Python, DurationNs,
                            NowNs, &IsNew);
    if (Known && Entry.Finding == Id)
      ++Entry.Captures;
    else
      Entry = {CallSite, Call, Id, 1};
  } else if (Known) {
    Id = Entry.Finding;
    TheFindings.recordAgain(Id, DurationNs, NowNs);
  } else {
    StackTrace Empty;
    Empty.Depth = 0;
    Empty.FirstIsPc = false;
    Id = TheFindings.record(Kind, Phase, Call, Tid, Empty, nullptr, DurationNs,
                            NowNs, &IsNew);
  }
  if ((Kind == FindingKind::BlockingCall ||
       Kind == FindingKind::GilHeldBlocking) &&
      DurationNs > S->IterWorstNs) {
    S->IterWorstNs = DurationNs;
    S->IterWorstCall = Call;
    S->IterWorstKind = Kind;
    S->IterWorstFinding = Id;
  }
  if (IsNew || DurationNs >= TheSettings.ThresholdNs)
    streamOccurrence(Kind, Id, Call, Phase, Tid, DurationNs, NowNs);
}

void forgetFd(int Fd) {
  LoopSlot *S = CurrentThread.Slot;
  if (!S || Fd < 0 ||
      CurrentThread.Generation !=
          ForkGeneration.load(std::memory_order_relaxed))
    return;
  FdCacheEntry &Entry = S->FdCache[unsigned(Fd) % FdCacheSize];
  if (Entry.Fd == Fd)
    Entry.Behavior = FdBehavior::Unknown;
}

void endCall(const CallTicket &C, const char *Call, uintptr_t CallSite,
             bool ReadPython) {
  if (!C.Slot)
    return;
  ErrnoKeeper KeepErrno;
  uint64_t DurationNs = callEnded(C);
  recordBlockingCall(C.Slot, Call, FindingKind::BlockingCall, DurationNs,
                     CallSite, ReadPython);
}

void endCallQuietly(const CallTicket &C) {
  if (C.Slot)
    C.Slot->Phase.store(PhaseBusy, std::memory_order_release);
}

void endFdCall(const CallTicket &C, const char *Call, int Fd, int MsgFlags,
               uintptr_t CallSite) {
  if (!C.Slot)
    return;
  ErrnoKeeper KeepErrno;
  uint64_t DurationNs = callEnded(C);
  if (MsgFlags & MSG_DONTWAIT)
    return;
  FdBehavior Behavior = fdBehavior(C.Slot, Fd, DurationNs);
  if (Behavior == FdBehavior::NonBlocking || Behavior == FdBehavior::Unknown)
    return;
  bool BlocksWhenSlow =
      Behavior == FdBehavior::Stream || Behavior == FdBehavior::KernelFile;
  recordBlockingOrLatent(C.Slot, Call, DurationNs, CallSite, BlocksWhenSlow,
                         /*ReadPython=*/true);
}

void endOpenCall(const CallTicket &C, const char *Path, int Flags, int Fd,
                 uintptr_t CallSite) {
  if (!C.Slot)
    return;
  ErrnoKeeper KeepErrno;
  uint64_t DurationNs = callEnded(C);
  bool Kernel = isKernelFilePath(Path);
  // Devices and FIFOs are checked when used; O_NONBLOCK matters to them.
  bool Device = Path && strncmp(Path, "/dev/", 5) == 0;
  if (Fd >= 0 && !Device && !(Flags & O_NONBLOCK))
    C.Slot->FdCache[unsigned(Fd) % FdCacheSize] = {
        Fd, Kernel ? FdBehavior::KernelFile : FdBehavior::File, C.StartTicks};
  recordBlockingOrLatent(C.Slot, "open", DurationNs, CallSite, Kernel,
                         /*ReadPython=*/true);
}

void endWait(const CallTicket &C, const char *Call, uintptr_t CallSite) {
  if (!C.Slot)
    return;
  ErrnoKeeper KeepErrno;
  uint64_t DurationNs = callEnded(C);
  recordBlockingOrLatent(C.Slot, Call, DurationNs, CallSite,
                         /*BlocksWhenSlow=*/true, /*ReadPython=*/false);
}

} // namespace stallhound::probe
