//===- ExitHooks.cpp - exit, _exit and _Exit ------------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// _exit skips destructors, so the final summary is written here; exit only
// labels what its handlers do as shutdown (the probe's destructor writes the
// summary).
//
//===----------------------------------------------------------------------===//

#include "Probe.h"
#include "RealFunctions.h"

using namespace stallhound::probe;

namespace {

using ExitFn = void (*)(int);

STALLHOUND_REAL(ExitFn, exit, nullptr)
STALLHOUND_REAL(ExitFn, _exit, nullptr)
STALLHOUND_REAL(ExitFn, _Exit, nullptr)

} // namespace

STALLHOUND_HOOK __attribute__((noreturn)) void exit(int Status) {
  onProcessExit("exit", Status, false);
  real_exit()(Status);
  __builtin_unreachable();
}

STALLHOUND_HOOK __attribute__((noreturn)) void _exit(int Status) {
  onProcessExit("_exit", Status, true);
  real__exit()(Status);
  __builtin_unreachable();
}

STALLHOUND_HOOK __attribute__((noreturn)) void _Exit(int Status) {
  onProcessExit("_exit", Status, true);
  real__Exit()(Status);
  __builtin_unreachable();
}
