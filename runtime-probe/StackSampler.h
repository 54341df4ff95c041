//===- StackSampler.h - Raw stacks, from a hook or a signal -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_STACKSAMPLER_H
#define STALLHOUND_PROBE_STACKSAMPLER_H

#include "Findings.h"

namespace stallhound::probe {

/// Loads libunwind with dlopen(RTLD_LOCAL), so that its _Unwind_* never
/// shadow the host's, and warms it up. False when it is not available: stacks
/// then come from glibc's backtrace() in hooks and hold only the interrupted
/// instruction in signal samples.
bool loadUnwinder();

/// The host closed Fd: if it was libunwind's memory-check pipe, libunwind is
/// no longer used (it would close those numbers, maybe the host's files by
/// now, to reopen its pipe); stacks degrade as without libunwind.
void noteHostClosedFd(int Fd);

/// libunwind's pipe, or -1.
void unwinderPipe(int &Read, int &Write);

/// The caller's stack, without the probe's own frames.
void captureStackHere(StackTrace &Out);

/// From a signal handler: the interrupted thread's stack. Raw addresses only.
void captureStackFromSignal(void *UContext, StackTrace &Out);

/// Records the probe's own code range, so that its frames can be dropped.
void findProbeCodeRange();
bool isProbeAddress(uintptr_t Address);

} // namespace stallhound::probe

#endif
