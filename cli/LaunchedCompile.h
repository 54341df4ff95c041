//===- LaunchedCompile.h - check as a compiler launcher ---------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// `stallhound check --launcher COMPILER ARGS...`, as CMake's
// CMAKE_<LANG>_COMPILER_LAUNCHER runs it: the compile runs first and decides
// the exit status; then its translation unit's facts are written beside the
// object, for a later `check --facts BUILD_DIR` to merge.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_CLI_LAUNCHEDCOMPILE_H
#define STALLHOUND_CLI_LAUNCHEDCOMPILE_H

#include <string>
#include <vector>

namespace stallhound {

struct LaunchedCompile {
  /// The compile command without the launchers before the compiler (ccache,
  /// sccache, distcc, icecc): what the analysis parses.
  std::vector<std::string> Command;
  /// The C and C++ sources it compiles; empty for a link or any command that
  /// compiles none.
  std::vector<std::string> Sources;
  /// The directory of its -o output: where the facts go.
  std::string ObjectDir;
};

LaunchedCompile describeCompile(const std::vector<std::string> &Command);

/// Runs Command as given (launchers included) and waits for it; returns its
/// exit status, 128+N when signal N ended it, 127 when it could not be run.
int runCompile(const std::vector<std::string> &Command);

} // namespace stallhound

#endif
