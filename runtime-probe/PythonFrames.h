//===- PythonFrames.h - The Python stack of a blocking call -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// In a CPython process, the native stack of a blocking call shows only the
// interpreter. This reads Python frames through the C API: take the GIL with
// PyGILState_Ensure (the caller released it around the blocking call, or holds
// it, which Ensure handles), walk the frames, release. Never from a signal
// handler, never from the lock hooks (the interpreter's own GIL machinery
// waits there), never during finalization, and only for threads that already
// have a thread state.
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
  uint32_t Line;      // the line running now
  uint32_t FirstLine; // the def line
  bool IsCoroutine;   // an async def
  uintptr_t Code;     // the code object, for matching; not reported
};

struct PythonStack {
  /// Innermost first. When the program's coroutine is deeper than the
  /// frames kept, the last one is that coroutine (Frames skips to it).
  PythonFrame Frames[MaxPythonFrames];
  uint32_t Depth;
  /// The name of the asyncio task running these frames, or empty.
  char Task[40];
};

inline void clearPythonStack(PythonStack &Out) {
  Out.Depth = 0;
  Out.Task[0] = '\0';
}

/// Whether File is the interpreter's or an installed package's, not the
/// program's own.
bool isPythonLibrary(const char *File);

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

/// From the Python helper thread: the frames of the thread whose thread state
/// is ThreadState, if that thread still exists.
bool capturePythonStackOfState(void *ThreadState, PythonStack &Out);

} // namespace stallhound::probe

#endif
