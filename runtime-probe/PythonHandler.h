//===- PythonHandler.h - Which Python frame a finding names -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A Python stack has three kinds of frames: the program's own code, the
// libraries it calls (the interpreter's standard library, installed
// packages), and the framework that runs the program's handlers (asyncio,
// anyio, Starlette, FastAPI, aiohttp, uvicorn, uvloop, worker threads). The
// handler is the program's code at the framework boundary: the endpoint, not
// the helper where the time went (that is the hot function) nor the
// framework code around it.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_PYTHONHANDLER_H
#define STALLHOUND_PROBE_PYTHONHANDLER_H

#include "PythonFrames.h"

namespace stallhound::probe {

/// Whether File belongs to code that calls handlers: an event loop, a web
/// framework or server, a thread pool. Judged by its path.
bool isPythonFramework(const char *File);

/// Whether File is the program's own code: neither a library, framework, nor
/// code compiled from a string.
bool isProgramFile(const char *File);

/// Whether Stack shows any of the program's own frames.
bool hasProgramFrame(const PythonStack &Stack);

/// The handler: walking outwards from the innermost frame, the outermost of
/// the program's coroutines before the first framework frame that follows
/// one (framework code an endpoint calls, such as a JSON encoder calling back
/// into the program, is walked through). With no coroutine of the program
/// (a def endpoint in a worker thread, a callback, an import): the outermost
/// frame of the program's innermost run of frames, up to the framework.
/// With no frame of the program at all: the innermost coroutine. *Hot, when
/// given, is the program's innermost frame if that is another function.
const PythonFrame *pythonHandler(const PythonStack &Stack,
                                 const PythonFrame **Hot = nullptr);

} // namespace stallhound::probe

#endif
