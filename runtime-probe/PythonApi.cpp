//===- PythonApi.cpp - The CPython C API, found at run time ---------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonApi.h"

#include "PythonCallSite.h"

#include <atomic>
#include <dlfcn.h>
#include <link.h>

namespace stallhound::probe {

namespace {

std::atomic<int> State{0}; // 0 unknown, 1 found, 2 absent
PythonApi Api;

template <typename T> bool find(T &Out, const char *Name) {
  Out = reinterpret_cast<T>(dlsym(RTLD_DEFAULT, Name));
  return Out != nullptr;
}

/// The executable segment that holds PyGILState_Ensure: the interpreter.
int findCodeRange(dl_phdr_info *Info, size_t, void *Data) {
  auto *A = static_cast<PythonApi *>(Data);
  auto Target = reinterpret_cast<uintptr_t>(A->GilEnsure);
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_LOAD || !(P.p_flags & PF_X))
      continue;
    uintptr_t Begin = Info->dlpi_addr + P.p_vaddr;
    if (Target >= Begin && Target < Begin + P.p_memsz) {
      A->CodeBegin = Begin;
      A->CodeEnd = Begin + P.p_memsz;
      return 1;
    }
  }
  return 0;
}

/// 3.11 and older keep the GIL holder in a runtime-wide variable that
/// _PyThreadState_UncheckedGet returns; later versions made it per
/// interpreter (PythonGilState).
void findGilHolder(PythonApi &A) {
  A.GilHolderState = nullptr;
  const auto *Version = reinterpret_cast<const unsigned long *>(
      dlsym(RTLD_DEFAULT, "Py_Version"));
  if (!Version || *Version < 0x030c0000) {
    find(A.GilHolderState, "_PyThreadState_UncheckedGet");
    return;
  }
  void *(*MainInterp)() = nullptr;
  find(MainInterp, "PyInterpreterState_Main");
  A.GilFields =
      findGilStateFields(*Version, MainInterp ? MainInterp() : nullptr,
                         dlsym(RTLD_DEFAULT, "_PyRuntime"));
}

} // namespace

const PythonApi *resolvePythonApi() {
  int Known = State.load(std::memory_order_acquire);
  if (Known)
    return Known == 1 ? &Api : nullptr;
  PythonApi A = {};
  bool Ok = find(A.IsInitialized, "Py_IsInitialized") &&
            (find(A.IsFinalizing, "Py_IsFinalizing") ||
             find(A.IsFinalizing, "_Py_IsFinalizing")) &&
            find(A.GetThisThreadState, "PyGILState_GetThisThreadState") &&
            find(A.GilCheck, "PyGILState_Check") &&
            find(A.GilEnsure, "PyGILState_Ensure") &&
            find(A.GilRelease, "PyGILState_Release") &&
            find(A.GetFrame, "PyEval_GetFrame") &&
            find(A.FrameGetCode, "PyFrame_GetCode") &&
            find(A.FrameGetBack, "PyFrame_GetBack") &&
            find(A.FrameGetLineNumber, "PyFrame_GetLineNumber") &&
            find(A.GetAttrString, "PyObject_GetAttrString") &&
            find(A.CallMethod, "PyObject_CallMethod") &&
            find(A.UnicodeAsUtf8, "PyUnicode_AsUTF8") &&
            find(A.LongAsLong, "PyLong_AsLong") &&
            find(A.DecRef, "Py_DecRef") && find(A.ErrFetch, "PyErr_Fetch") &&
            find(A.ErrRestore, "PyErr_Restore") &&
            find(A.CurrentFrames, "_PyThread_CurrentFrames") &&
            find(A.DictGetItem, "PyDict_GetItem") &&
            find(A.DictGetItemString, "PyDict_GetItemString") &&
            find(A.DictNext, "PyDict_Next") &&
            find(A.ImportGetModuleDict, "PyImport_GetModuleDict") &&
            find(A.LongFromUnsignedLong, "PyLong_FromUnsignedLong") &&
            find(A.InterpreterHead, "PyInterpreterState_Head") &&
            find(A.InterpreterThreadHead, "PyInterpreterState_ThreadHead") &&
            find(A.ThreadNext, "PyThreadState_Next") &&
            find(A.ThreadStateGetFrame, "PyThreadState_GetFrame");
  if (Ok) {
    findGilHolder(A);
    findCallSiteLayout();
    dl_iterate_phdr(findCodeRange, &A);
    Api = A;
  }
  State.store(Ok ? 1 : 2, std::memory_order_release);
  return Ok ? &Api : nullptr;
}

const PythonApi *resolvedPythonApi() {
  return State.load(std::memory_order_acquire) == 1 ? &Api : nullptr;
}

bool pythonUsable(const PythonApi &Py) {
  return Py.IsInitialized() && !Py.IsFinalizing();
}

} // namespace stallhound::probe
