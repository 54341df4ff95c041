//===- PythonCallSite.h - Which Python code made a call, cheaply -*- C++
//-*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Every blocking call of a Python process comes from the same native call
// site (the interpreter's socket or file code): only the Python frames tell
// one endpoint's call from another's. Reading them through the C API needs
// the GIL and costs tens of microseconds; a fast call on a blocking socket
// happens on every request. So a call is first identified by a key read
// straight from the calling thread's own frame chain (the code objects of
// its frames and the position in the innermost), without the GIL and without
// calling into the interpreter: the thread is inside the call, so its frames
// do not change. The layout of the chain is known per CPython minor version
// and checked once against the C API before any key is trusted.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_PYTHONCALLSITE_H
#define STALLHOUND_PROBE_PYTHONCALLSITE_H

#include "PythonFrames.h"

#include <cstdint>

namespace stallhound::probe {

enum class CallSiteLayout : uint8_t {
  Unchecked, // a known version, not yet checked against the C API
  Checked,   // keys can be read
  Unusable,  // an unknown version, or the check failed: no keys
};

/// Picks the frame-chain layout of the running CPython; once, with the rest
/// of the C API.
void findCallSiteLayout();

CallSiteLayout callSiteLayout();

/// Why fast calls cannot be told apart by their Python call site (a static
/// string), or null while they can or may still be.
const char *callSiteLayoutProblem();

/// The running CPython's minor version (10 for 3.10), or 0.
unsigned pythonMinorVersion();

/// The calling thread's Python call site, or 0 when it cannot be read (no
/// checked layout, no thread state, no Python frame). A few dozen loads: for
/// hooks.
uint64_t pythonCallSiteKey();

/// With the GIL held, just after Stack was read from the calling thread's
/// own frames: remembers each frame by its code object and position, so
/// that later calls through the same frames are named without the GIL.
void rememberFrames(const PythonStack &Stack);

/// The calling thread's frames that were remembered, innermost first, the
/// program's coroutine kept as a capture keeps it (PythonStack). No GIL, no
/// call into the interpreter: for a call whose stack is not read.
bool rememberedStack(PythonStack &Out);

/// With the GIL held by the calling thread, in Python code: compares the
/// frame chain read raw with what the C API says, and settles the layout as
/// checked or unusable.
void checkCallSiteLayout();

} // namespace stallhound::probe

#endif
