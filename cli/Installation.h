//===- Installation.h - Where the installed pieces are ----------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Every path is relative to the running executable, in the build tree as in
// an installation (<prefix>/bin/stallhound,
// <prefix>/libexec/stallhound/stallhound-analyzer), never a path compiled in.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_CLI_INSTALLATION_H
#define STALLHOUND_CLI_INSTALLATION_H

#include <string>

namespace stallhound {

/// The directory holding bin/, lib/, libexec/ and share/ of this
/// installation, or "" when the executable's path is unknown.
std::string installPrefix();

/// lib/libstallhound-probe.so, or $STALLHOUND_PROBE_LIBRARY.
std::string probeLibraryPath();

/// libexec/stallhound/stallhound-analyzer: check and report, which need
/// LLVM; absent from an installation of the runtime probe alone.
std::string analyzerPath();

/// share/stallhound/rules.
std::string builtInRulesDir();

} // namespace stallhound

#endif
