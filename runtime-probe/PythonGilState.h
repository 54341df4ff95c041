//===- PythonGilState.h - Where CPython keeps the GIL's holder --*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// CPython 3.11 and older tell the GIL holder through a function; 3.12 and
// later keep it in the interpreter's GIL state (PEP 684), a structure of the
// internal API whose layout changes between minor versions. The probe reads
// it only for the versions whose layout it knows, and only after checking the
// layout against the running interpreter: an unknown version or a failed
// check means "holder unknown", never a guess.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_PYTHONGILSTATE_H
#define STALLHOUND_PROBE_PYTHONGILSTATE_H

#include <cstdint>

namespace stallhound::probe {

struct GilStateFields {
  const uintptr_t *Holder = nullptr; // the thread state that took the GIL last
  const int *Locked = nullptr;       // 1 while someone holds it
  /// Why the fields are unknown (a static string), or null when found.
  const char *Unknown = nullptr;
};

/// The main interpreter's GIL fields; Version is Py_Version, MainInterp what
/// PyInterpreterState_Main returns, Runtime the address of _PyRuntime.
GilStateFields findGilStateFields(unsigned long Version, const void *MainInterp,
                                  const void *Runtime);

/// The thread state holding the GIL now, or null (not held, or unknown).
/// A few loads: for hooks. The state may be gone by the time it is used.
inline void *gilHolderNow(const GilStateFields &F) {
  if (!F.Holder || !__atomic_load_n(F.Locked, __ATOMIC_RELAXED))
    return nullptr;
  return reinterpret_cast<void *>(__atomic_load_n(F.Holder, __ATOMIC_RELAXED));
}

} // namespace stallhound::probe

#endif
