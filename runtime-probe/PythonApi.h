//===- PythonApi.h - The CPython C API, found at run time -------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The probe has no build dependency on Python: in a CPython process it finds
// the functions it needs with dlsym, once, when the first loop starts.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_PYTHONAPI_H
#define STALLHOUND_PROBE_PYTHONAPI_H

#include "PythonGilState.h"

#include <cstdint>

namespace stallhound::probe {

using PyObjectPtr = void *;

struct PythonApi {
  int (*IsInitialized)();
  int (*IsFinalizing)();
  void *(*GetThisThreadState)();
  int (*GilCheck)();
  int (*GilEnsure)();
  void (*GilRelease)(int);
  PyObjectPtr (*GetFrame)();
  PyObjectPtr (*FrameGetCode)(PyObjectPtr);
  PyObjectPtr (*FrameGetBack)(PyObjectPtr);
  int (*FrameGetLineNumber)(PyObjectPtr);
  PyObjectPtr (*GetAttrString)(PyObjectPtr, const char *);
  PyObjectPtr (*CallMethod)(PyObjectPtr, const char *, const char *, ...);
  const char *(*UnicodeAsUtf8)(PyObjectPtr);
  long (*LongAsLong)(PyObjectPtr);
  void (*DecRef)(PyObjectPtr);
  void (*ErrFetch)(PyObjectPtr *, PyObjectPtr *, PyObjectPtr *);
  void (*ErrRestore)(PyObjectPtr, PyObjectPtr, PyObjectPtr);
  PyObjectPtr (*CurrentFrames)();
  PyObjectPtr (*DictGetItem)(PyObjectPtr, PyObjectPtr);
  PyObjectPtr (*DictGetItemString)(PyObjectPtr, const char *);
  int (*DictNext)(PyObjectPtr, long *, PyObjectPtr *, PyObjectPtr *);
  PyObjectPtr (*ImportGetModuleDict)();
  PyObjectPtr (*LongFromUnsignedLong)(unsigned long);
  void *(*InterpreterHead)();
  void *(*InterpreterThreadHead)(void *);
  void *(*ThreadNext)(void *);
  PyObjectPtr (*ThreadStateGetFrame)(void *);
  /// The thread state that holds the GIL, on CPython 3.11 and older; null
  /// where it only tells the calling thread's own (3.12 and later).
  void *(*GilHolderState)();
  /// 3.12 and later: the GIL state's fields, where the version's layout is
  /// known and checked (GilFields.Unknown says why not).
  GilStateFields GilFields;
  /// The interpreter's code, where its GIL waits come from.
  uintptr_t CodeBegin;
  uintptr_t CodeEnd;
};

/// Resolves the API once (dlsym: not from a hook's fast path); null when the
/// process runs no supported CPython.
const PythonApi *resolvePythonApi();

/// The API if it was resolved already, else null. Cheap: for hooks.
const PythonApi *resolvedPythonApi();

/// Whether the interpreter may be used now: initialized, not finalizing.
bool pythonUsable(const PythonApi &Py);

} // namespace stallhound::probe

#endif
