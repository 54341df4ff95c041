//===- Symbolization.h - Offline names and lines of runtime frames -*- C++ -*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The probe records native frames as module + build id + offset. This fills
// in the function, file and line of frames that lack them from debug
// information, on any machine: the module at its recorded path when its
// build id matches (LLVM then also follows .gnu_debuglink and build-id links
// to separate debug files), else the debug file named by the build id under
// DIR/.build-id/xx/yyyy.debug for each --debug-dir DIR and /usr/lib/debug.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_SYMBOLIZATION_H
#define STALLHOUND_REPORT_SYMBOLIZATION_H

#include "ReportModel.h"

#include "llvm/DebugInfo/Symbolize/Symbolize.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace stallhound::report {

class Symbolization {
public:
  explicit Symbolization(const std::vector<std::string> &DebugDirs);

  /// Completes the frames of F and, from them, its handler's name and
  /// source location; Exe is the process's main program, whose innermost
  /// frame is the handler when the probe could name none. Returns how many
  /// frames were completed.
  size_t symbolize(RuntimeFinding &F, const std::string &Exe);

private:
  /// What the debug information says about one address.
  struct SourceInfo {
    std::string Function, File;
    unsigned Line = 0;
  };

  llvm::symbolize::LLVMSymbolizer Symbolizer;
  std::map<std::string, std::string> BuildIdOnDisk; // by module path
  /// By module, build id and address: a fleet's reports share their frames.
  std::map<std::tuple<std::string, std::string, uint64_t>, SourceInfo> Cache;

  const std::string &buildIdOnDisk(const std::string &Module);
  SourceInfo lookUp(const std::string &Module, const std::string &BuildId,
                    uint64_t Address);
  bool symbolizeFrame(StackFrame &Frame, bool IsReturnAddress);
};

} // namespace stallhound::report

#endif
