//===- PythonGilState.cpp - Where CPython keeps the GIL's holder ----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonGilState.h"

#include <cstring>

namespace stallhound::probe {

namespace {

/// Offsets within PyInterpreterState and struct _gil_runtime_state of one
/// CPython minor version (64-bit, GIL builds).
struct GilLayout {
  uint64_t CevalGil; // PyInterpreterState.ceval.gil: the GIL in use
  uint64_t OwnGil;   // PyInterpreterState._gil: the interpreter's own
  uint64_t Holder;   // _gil_runtime_state.last_holder
  uint64_t Locked;   // _gil_runtime_state.locked
};

/// 3.12's layout, from its internal headers (pycore_interp.h, pycore_gil.h).
constexpr GilLayout Python312 = {384, 1040, 8, 16};

/// 3.13 publishes the offsets at the start of _PyRuntime for out-of-process
/// debuggers (_Py_DebugOffsets); this is that structure's 3.13 layout, the
/// fields up to the GIL's.
struct DebugOffsets313 {
  char Cookie[8]; // "xdebugpy"
  uint64_t Version;
  uint64_t FreeThreaded;
  uint64_t RuntimeState[3];
  uint64_t InterpSize, InterpId, InterpNext, ThreadsHead, Gc, ImportsModules,
      Sysdict, Builtins;
  uint64_t CevalGil, GilRuntimeState, GilEnabled, GilLocked, GilHolder;
};

GilStateFields fieldsOf(const GilLayout &L, const void *MainInterp) {
  GilStateFields F;
  auto *Interp = static_cast<const char *>(MainInterp);
  const char *Gil = *reinterpret_cast<const char *const *>(Interp + L.CevalGil);
  // The main interpreter runs on its own GIL: the pointer must lead back
  // into the interpreter, where the layout says the GIL is.
  if (Gil != Interp + L.OwnGil) {
    F.Unknown = "the interpreter's layout is not the one expected for its "
                "version";
    return F;
  }
  F.Holder = reinterpret_cast<const uintptr_t *>(Gil + L.Holder);
  F.Locked = reinterpret_cast<const int *>(Gil + L.Locked);
  int Locked = *F.Locked;
  if (Locked != 0 && Locked != 1) {
    F = {};
    F.Unknown = "the interpreter's GIL state is not the one expected for its "
                "version";
  }
  return F;
}

} // namespace

GilStateFields findGilStateFields(unsigned long Version, const void *MainInterp,
                                  const void *Runtime) {
  GilStateFields F;
  unsigned Minor = (Version >> 16) & 0xff;
  if ((Version >> 24) != 3 || Minor < 12 || !MainInterp) {
    F.Unknown = "not a CPython 3.12 or later";
    return F;
  }
  if (sizeof(void *) != 8) {
    F.Unknown = "GIL holder read on 64-bit systems only";
    return F;
  }
  if (Minor == 12)
    return fieldsOf(Python312, MainInterp);
  if (Minor == 13 && Runtime) {
    const auto *D = static_cast<const DebugOffsets313 *>(Runtime);
    if (memcmp(D->Cookie, "xdebugpy", 8) != 0 ||
        ((D->Version >> 16) & 0xffff) != 0x030d) {
      F.Unknown = "the runtime's debug offsets are missing";
      return F;
    }
    if (D->FreeThreaded) {
      F.Unknown = "a free-threaded build has no GIL";
      return F;
    }
    GilLayout L = {D->CevalGil, D->GilRuntimeState,
                   D->GilHolder - D->GilRuntimeState,
                   D->GilLocked - D->GilRuntimeState};
    return fieldsOf(L, MainInterp);
  }
  F.Unknown = "no known layout of the GIL state for this CPython version";
  return F;
}

} // namespace stallhound::probe
