//===- PreloadTarget.h - Can the probe be preloaded into a command? -*- C++
//-*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// LD_PRELOAD is read by the dynamic loader: a statically linked program never
// runs it, and a set-user-ID or set-group-ID program (or one with file
// capabilities) runs it in secure mode, where a preloaded library given by
// path is ignored. Either way the probe would silently not load.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_CLI_PRELOADTARGET_H
#define STALLHOUND_CLI_PRELOADTARGET_H

#include <string>

namespace stallhound {

/// Why the probe cannot be preloaded into Command as execvp would run it
/// (looked up on PATH, through `#!` interpreters and `/usr/bin/env NAME`), as
/// "FILE is ...: ..." naming the file the loader would run; empty when it can
/// be, or when Command cannot be run at all (execvp then says why).
std::string preloadObstacle(const std::string &Command);

/// The program the loader runs for Command (through `#!` interpreters), or
/// "" when it cannot be found.
std::string loadedProgram(const std::string &Command);

} // namespace stallhound

#endif
