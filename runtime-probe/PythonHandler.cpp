//===- PythonHandler.cpp - Which Python frame a finding names -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonHandler.h"

#include <cstring>

namespace stallhound::probe {

namespace {

/// Path pieces of the code that runs handlers. Matched anywhere in the path
/// (which keeps its end when long), so that a framework installed outside
/// the usual directories (vendored, an editable install) is known too.
constexpr const char *FrameworkPaths[] = {
    "/asyncio/",     "/concurrent/futures/",
    "/threading.py", "/starlette/",
    "/fastapi/",     "/anyio/",
    "/aiohttp/",     "/uvicorn/",
    "/uvloop/",      "/gunicorn/",
    "/hypercorn/",
};

/// Installed packages wherever they are: a long path may have lost its
/// /lib/python3.X/ prefix.
constexpr const char *PackagePaths[] = {"/site-packages/", "/dist-packages/"};

bool containsAny(const char *File, const char *const *Pieces, size_t Count) {
  for (size_t I = 0; I < Count; ++I)
    if (strstr(File, Pieces[I]))
      return true;
  return false;
}

} // namespace

bool isPythonFramework(const char *File) {
  return containsAny(File, FrameworkPaths,
                     sizeof(FrameworkPaths) / sizeof(FrameworkPaths[0]));
}

bool isProgramFile(const char *File) {
  // "<string>" and the like: code a library compiled (a dataclass's
  // generated __init__), or the interpreter's frozen modules.
  return File[0] && File[0] != '<' && !isPythonLibrary(File) &&
         !containsAny(File, PackagePaths,
                      sizeof(PackagePaths) / sizeof(PackagePaths[0])) &&
         !isPythonFramework(File);
}

bool hasProgramFrame(const PythonStack &Stack) {
  for (uint32_t I = 0; I < Stack.Depth; ++I)
    if (isProgramFile(Stack.Frames[I].File))
      return true;
  return false;
}

const PythonFrame *pythonHandler(const PythonStack &Stack,
                                 const PythonFrame **Hot) {
  const PythonFrame *Innermost = nullptr;
  const PythonFrame *Coroutine = nullptr; // the outermost seen so far
  const PythonFrame *RunEnd = nullptr;    // of the innermost run
  bool RunOpen = false;
  for (uint32_t I = 0; I < Stack.Depth; ++I) {
    const PythonFrame &F = Stack.Frames[I];
    if (isPythonFramework(F.File)) {
      if (Coroutine)
        break;
      RunOpen = false;
      continue;
    }
    if (!isProgramFile(F.File))
      continue;
    if (!Innermost) {
      Innermost = &F;
      RunOpen = true;
    }
    if (RunOpen)
      RunEnd = &F;
    if (F.IsCoroutine)
      Coroutine = &F;
  }
  const PythonFrame *Handler = Coroutine ? Coroutine : RunEnd;
  for (uint32_t I = 0; I < Stack.Depth && !Handler; ++I)
    if (Stack.Frames[I].IsCoroutine)
      Handler = &Stack.Frames[I];
  if (Hot)
    *Hot = Innermost && Handler && Innermost != Handler ? Innermost : nullptr;
  return Handler;
}

} // namespace stallhound::probe
