//===- PythonGil.h - Who holds the GIL, who waits for it --------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A loop thread of a CPython process may spend its busy time waiting for the
// GIL that another thread holds (a CPU-bound def endpoint in a worker
// thread). Those waits are condition waits and contended mutex locks inside
// the interpreter; they are recognised by their call site (the interpreter's
// code) and by the thread not holding the GIL while it has a thread state.
// Everything here only reads the interpreter's state: safe in the lock hooks.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_PYTHONGIL_H
#define STALLHOUND_PROBE_PYTHONGIL_H

#include <cstdint>

namespace stallhound::probe {

struct GilWait {
  bool IsGilWait = false;
  /// The thread state holding the GIL when the wait began (null when the
  /// interpreter does not tell: CPython 3.12 and later).
  void *Holder = nullptr;
};

/// Called by a condition-wait or contended-lock hook on a busy loop thread
/// before it waits.
GilWait classifyInterpreterWait(uintptr_t CallSite);

/// Whether the calling thread holds the GIL: a blocking call made now freezes
/// every Python thread.
bool threadHoldsGil();

/// Whether the calling thread, which does not hold the GIL, could take it
/// now without waiting: nobody holds it (where the interpreter tells).
bool gilLooksFree();

} // namespace stallhound::probe

#endif
