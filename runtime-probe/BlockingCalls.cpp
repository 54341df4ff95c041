//===- BlockingCalls.cpp - Timing calls that block a busy loop ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "BlockingCalls.h"

#include "PythonApi.h"
#include "PythonCallSite.h"
#include "PythonFrames.h"
#include "PythonGil.h"
#include "ReportWriter.h"
#include "Settings.h"
#include "StackSampler.h"

#include <arpa/inet.h>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

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
                            bool ReadPython, int Fd) {
  FindingKind Kind = FindingKind::BlockingCall;
  if (BlocksWhenSlow && DurationNs < TheSettings.BlockingNs) {
    if (!TheSettings.ReportLatent)
      return;
    Kind = FindingKind::LatentBlocking;
  }
  recordBlockingCall(S, Call, Kind, DurationNs, CallSite, ReadPython, Fd);
}

namespace {

/// "127.0.0.1:6379", "[::1]:80" or a unix socket's path; empty otherwise.
void socketPeer(int Fd, char *Out, size_t Size) {
  Out[0] = '\0';
  sockaddr_storage Address;
  socklen_t Length = sizeof(Address);
  if (Fd < 0 ||
      getpeername(Fd, reinterpret_cast<sockaddr *>(&Address), &Length) != 0)
    return;
  char Host[INET6_ADDRSTRLEN];
  if (Address.ss_family == AF_INET) {
    auto *In = reinterpret_cast<sockaddr_in *>(&Address);
    if (inet_ntop(AF_INET, &In->sin_addr, Host, sizeof(Host)))
      snprintf(Out, Size, "%s:%u", Host, unsigned(ntohs(In->sin_port)));
  } else if (Address.ss_family == AF_INET6) {
    auto *In = reinterpret_cast<sockaddr_in6 *>(&Address);
    if (inet_ntop(AF_INET6, &In->sin6_addr, Host, sizeof(Host)))
      snprintf(Out, Size, "[%s]:%u", Host, unsigned(ntohs(In->sin6_port)));
  } else if (Address.ss_family == AF_UNIX &&
             Length > offsetof(sockaddr_un, sun_path)) {
    auto *Un = reinterpret_cast<sockaddr_un *>(&Address);
    size_t PathLength = Length - offsetof(sockaddr_un, sun_path);
    if (Un->sun_path[0]) // not an abstract name
      snprintf(Out, Size, "%.*s", int(PathLength), Un->sun_path);
  }
}

/// Whether this fast call's Python stack may be read now. Only from a
/// thread that gave up the GIL for the call: code holding it (a C
/// extension, a host signal handler that interrupted bytecode) is never
/// walked in the middle of its work. And only while nobody else holds the
/// GIL: taking it then would make the loop wait for a switch interval.
bool canReadPythonOfFastCall() {
  return callSiteLayout() != CallSiteLayout::Unusable && !threadHoldsGil() &&
         gilLooksFree();
}

} // namespace

void recordBlockingCall(LoopSlot *S, const char *Call, FindingKind Kind,
                        uint64_t DurationNs, uintptr_t CallSite,
                        bool ReadPython, int Fd) {
  RecursionGuard Guard;
  ErrnoKeeper KeepErrno;
  uint64_t NowNs = monotonicNs();
  RunPhase Phase = currentRunPhase(S);
  int Tid = S->Tid.load(std::memory_order_relaxed);
  // In Python code one native call site serves every endpoint: the Python
  // call site tells them apart (PythonCallSite.h).
  bool Python = ReadPython && resolvedPythonApi();
  uintptr_t Site = CallSite ^ uintptr_t(Python ? pythonCallSiteKey() : 0);
  CallSiteEntry &Entry = callSiteEntry(S, Site, Call);
  bool Known = Entry.Site == Site && Entry.Call == Call && Entry.Finding >= 0 &&
               Entry.Captures > 0;
  // Only calls that really waited read the Python stack whatever the
  // context; a fast one (it may come from a host signal handler, the
  // self-pipe trick) only where that is safe. A thread that holds the GIL
  // through the call froze every Python thread with it.
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
  // Only for a stack to be taken: the checks read the interpreter's state.
  bool ReadPythonNow =
      WantStack && Python && (Waited || canReadPythonOfFastCall());
  int Id = -1;
  bool IsNew = false;
  // A long call still spends a token, so that the budget stays a budget. A
  // Python call site out of native stacks still gets its Python stack.
  bool GotToken =
      WantStack && TheFindings.takeStackToken(NowNs, Phase, !LongCall);
  bool GotPython = !GotToken && !LongCall && ReadPythonNow &&
                   TheFindings.takePythonToken(NowNs, Phase);
  if (WantStack && (GotToken || LongCall || GotPython)) {
    StackTrace Stack;
    Stack.Depth = 0;
    Stack.FirstIsPc = false;
    if (!GotPython)
      captureStackHere(Stack);
    PythonStack Python;
    clearPythonStack(Python);
    if (ReadPythonNow)
      capturePythonStack(Python);
    Id = TheFindings.record(Kind, Phase, Call, Tid, Stack, &Python, DurationNs,
                            NowNs, &IsNew);
    if (Known && Entry.Finding == Id)
      ++Entry.Captures;
    else
      Entry = {Site, Call, Id, 1};
  } else if (Known) {
    Id = Entry.Finding;
    TheFindings.recordAgain(Id, DurationNs, NowNs);
  } else {
    StackTrace Empty;
    Empty.Depth = 0;
    Empty.FirstIsPc = false;
    // Out of budget: the frames already read once still name the endpoint.
    PythonStack Remembered;
    bool Named = Python && rememberedStack(Remembered);
    Id = TheFindings.record(Kind, Phase, Call, Tid, Empty,
                            Named ? &Remembered : nullptr, DurationNs, NowNs,
                            &IsNew);
  }
  if (IsNew && Fd >= 0) {
    char Peer[sizeof(FindingRecord::Peer)];
    socketPeer(Fd, Peer, sizeof(Peer));
    if (Peer[0])
      TheFindings.setPeer(Id, Peer);
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
                         /*ReadPython=*/true,
                         Behavior == FdBehavior::Stream ? Fd : -1);
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
