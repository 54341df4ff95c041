//===- SyscallHooks.cpp - Raw system calls the probe must see -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// libuv (and so uvloop and node's bundled copy when linked dynamically)
// closes file descriptors with syscall(SYS_close), bypassing close(): the
// probe would miss a server closing its listening socket. Only the call
// number is looked at; every call is forwarded unchanged.
//
//===----------------------------------------------------------------------===//

#include "BlockingCalls.h"
#include "RealFunctions.h"
#include "ServingPhase.h"

#include <cstdarg>
#include <sys/syscall.h>

using namespace stallhound::probe;

namespace {

using SyscallFn = long (*)(long, ...);
STALLHOUND_REAL(SyscallFn, syscall, nullptr)

} // namespace

namespace stallhound::probe {

/// Resolved at load: the probe's own syscall() calls, some from its signal
/// handler, go through the hook.
void resolveSyscall() { real_syscall(); }

} // namespace stallhound::probe

STALLHOUND_HOOK long syscall(long Number, ...) {
  // Like libc's own syscall(): six register-sized arguments, whatever the
  // call takes.
  va_list Arguments;
  va_start(Arguments, Number);
  long A[6];
  for (long &Argument : A)
    Argument = va_arg(Arguments, long);
  va_end(Arguments);
  if (Number == SYS_close) {
    forgetFd(int(A[0]));
    noteClosing(int(A[0]));
  }
  return real_syscall()(Number, A[0], A[1], A[2], A[3], A[4], A[5]);
}
