//===- PythonFrames.h - The Python stack of a blocking call -----*- C++ -*-===//
//
// In a CPython process, the native stack of a blocking call shows only the
// interpreter. This reads the Python frames of the calling thread through the
// C API (found with dlsym, no build dependency): take the GIL with
// PyGILState_Ensure (the caller released it around the blocking call, or holds
// it, which Ensure handles), walk PyEval_GetFrame/PyFrame_GetBack, release.
// Never from a signal handler, never from the lock hooks (the interpreter's
// own GIL machinery waits there), never during finalization, and only for
// threads that already have a thread state.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_PYTHONFRAMES_H
#define STALLHOUND_PROBE_PYTHONFRAMES_H

#include <cstdint>

namespace stallhound::probe {

constexpr unsigned MaxPythonFrames = 10;

struct PythonFrame {
  char Function[40];
  char File[80];
  uint32_t Line;
  bool IsCoroutine; // an async def
};

struct PythonStack {
  PythonFrame Frames[MaxPythonFrames]; // innermost first
  uint32_t Depth;
};

/// Fills Out with the calling thread's Python frames; false (Depth 0) when
/// the process runs no Python or the thread cannot be read safely.
bool capturePythonStack(PythonStack &Out);

/// Whether this process runs CPython with the C API the probe needs.
bool processRunsPython();

/// From the probe's Python helper thread: the frames of the thread whose
/// pthread_self() is ThreadIdent, read with sys._current_frames' C function.
/// Waits for the GIL (about one switch interval while the loop thread runs
/// bytecode): never call it from a loop thread or the watchdog.
bool capturePythonStackOf(unsigned long ThreadIdent, PythonStack &Out);

} // namespace stallhound::probe

#endif
