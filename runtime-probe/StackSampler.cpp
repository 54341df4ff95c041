//===- StackSampler.cpp - Raw stacks, from a hook or a signal -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "StackSampler.h"

#include <atomic>
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <libunwind.h>
#include <link.h>
#include <sys/stat.h>
#include <ucontext.h>

namespace stallhound::probe {

namespace {

using InitLocal2Fn = int (*)(unw_cursor_t *, unw_context_t *, int);
using StepFn = int (*)(unw_cursor_t *);
using GetRegFn = int (*)(unw_cursor_t *, unw_regnum_t, unw_word_t *);
using BacktraceFn = int (*)(void **, int);
using GetContextFn = int (*)(unw_context_t *);

struct Unwinder {
  InitLocal2Fn InitLocal2 = nullptr;
  StepFn Step = nullptr;
  GetRegFn GetReg = nullptr;
  BacktraceFn Backtrace = nullptr;
  GetContextFn GetContext = nullptr;
} TheUnwinder;

/// libunwind checks addresses by writing them to a pipe it keeps open; when
/// a write fails with EBADF it closes both numbers and opens a new pipe. A
/// host that closes every fd it does not know and opens its own files under
/// those numbers would have them closed by the next unwind.
int UnwinderPipe[2] = {-1, -1};
std::atomic<bool> UnwinderUsable{false};

constexpr int ScannedFds = 1024;

/// Which of the first ScannedFds numbers are open (fcntl: no allocation).
void openFds(bool (&Open)[ScannedFds]) {
  for (int Fd = 0; Fd < ScannedFds; ++Fd)
    Open[Fd] = fcntl(Fd, F_GETFD) >= 0;
}

uintptr_t ProbeBegin = 0;
uintptr_t ProbeEnd = 0;

int findOwnRange(dl_phdr_info *Info, size_t, void *Data) {
  uintptr_t Self = reinterpret_cast<uintptr_t>(Data);
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_LOAD || !(P.p_flags & PF_X))
      continue;
    uintptr_t Begin = Info->dlpi_addr + P.p_vaddr;
    if (Self >= Begin && Self < Begin + P.p_memsz) {
      ProbeBegin = Begin;
      ProbeEnd = Begin + P.p_memsz;
      return 1;
    }
  }
  return 0;
}

void dropProbeFrames(StackTrace &Out) {
  uint32_t Skip = 0;
  while (Skip < Out.Depth && isProbeAddress(Out.Frames[Skip]))
    ++Skip;
  for (uint32_t I = Skip; I < Out.Depth; ++I)
    Out.Frames[I - Skip] = Out.Frames[I];
  Out.Depth -= Skip;
}

} // namespace

void findProbeCodeRange() {
  dl_iterate_phdr(findOwnRange, reinterpret_cast<void *>(&findProbeCodeRange));
}

bool isProbeAddress(uintptr_t Address) {
  return Address >= ProbeBegin && Address < ProbeEnd;
}

bool loadUnwinder() {
  void *Lib = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
  if (!Lib)
    return false;
  Unwinder U;
  U.InitLocal2 =
      reinterpret_cast<InitLocal2Fn>(dlsym(Lib, "_ULx86_64_init_local2"));
  U.Step = reinterpret_cast<StepFn>(dlsym(Lib, "_ULx86_64_step"));
  U.GetReg = reinterpret_cast<GetRegFn>(dlsym(Lib, "_ULx86_64_get_reg"));
  U.Backtrace = reinterpret_cast<BacktraceFn>(dlsym(Lib, "unw_backtrace"));
  U.GetContext =
      reinterpret_cast<GetContextFn>(dlsym(Lib, "_Ux86_64_getcontext"));
  if (!U.InitLocal2 || !U.Step || !U.GetReg || !U.Backtrace || !U.GetContext)
    return false;
  TheUnwinder = U;
  static bool Before[ScannedFds], After[ScannedFds];
  openFds(Before);
  UnwinderUsable.store(true);
  // The first unwind reads unwind tables and fills caches (and opens
  // libunwind's pipe): do it here, not in a signal handler.
  StackTrace Warm;
  captureStackHere(Warm);
  unw_context_t Context;
  if (TheUnwinder.GetContext(&Context) == 0)
    captureStackFromSignal(&Context, Warm);
  void *Frames[4];
  backtrace(Frames, 4); // loads libgcc's unwinder, the fallback, now
  openFds(After);
  int Found = 0;
  for (int Fd = 0; Fd < ScannedFds && Found < 2; ++Fd) {
    struct stat St;
    if (!Before[Fd] && After[Fd] && fstat(Fd, &St) == 0 && S_ISFIFO(St.st_mode))
      UnwinderPipe[Found++] = Fd;
  }
  return true;
}

void unwinderPipe(int &Read, int &Write) {
  Read = UnwinderPipe[0];
  Write = UnwinderPipe[1];
}

void noteHostClosedFd(int Fd) {
  if (Fd >= 0 && (Fd == UnwinderPipe[0] || Fd == UnwinderPipe[1]))
    UnwinderUsable.store(false);
}

void captureStackHere(StackTrace &Out) {
  void *Frames[MaxFrames + 8];
  int Depth = TheUnwinder.Backtrace && UnwinderUsable.load()
                  ? TheUnwinder.Backtrace(Frames, MaxFrames + 8)
                  : backtrace(Frames, MaxFrames + 8);
  if (Depth < 0)
    Depth = 0;
  Out.FirstIsPc = false;
  Out.Depth = 0;
  for (int I = 0; I < Depth && Out.Depth < MaxFrames; ++I)
    Out.Frames[Out.Depth++] = reinterpret_cast<uintptr_t>(Frames[I]);
  dropProbeFrames(Out);
}

void captureStackFromSignal(void *UContext, StackTrace &Out) {
  Out.Depth = 0;
  Out.FirstIsPc = true;
  auto *Context = static_cast<ucontext_t *>(UContext);
  if (!TheUnwinder.InitLocal2 || !UnwinderUsable.load()) {
    Out.Frames[Out.Depth++] = uintptr_t(Context->uc_mcontext.gregs[REG_RIP]);
    return;
  }
  unw_cursor_t Cursor;
  if (TheUnwinder.InitLocal2(&Cursor, Context, UNW_INIT_SIGNAL_FRAME) != 0) {
    Out.Frames[Out.Depth++] = uintptr_t(Context->uc_mcontext.gregs[REG_RIP]);
    return;
  }
  do {
    unw_word_t Ip = 0;
    if (TheUnwinder.GetReg(&Cursor, UNW_REG_IP, &Ip) != 0 || Ip == 0)
      break;
    Out.Frames[Out.Depth++] = uintptr_t(Ip);
  } while (Out.Depth < MaxFrames && TheUnwinder.Step(&Cursor) > 0);
}

} // namespace stallhound::probe
