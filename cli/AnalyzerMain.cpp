//===- AnalyzerMain.cpp - check and report, started by stallhound ---------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// libexec/stallhound/stallhound-analyzer COMMAND ARGS...: what
// `stallhound COMMAND ARGS...` runs for the commands that need LLVM.
//
//===----------------------------------------------------------------------===//

#include "CommandSupport.h"
#include "Commands.h"

#include <iostream>
#include <string>

int main(int argc, char **argv) {
  std::string Command = argc > 1 ? argv[1] : "";
  if (Command == "add-source-lines")
    return stallhound::runAddSourceLines(argc - 1, argv + 1);
  if (Command != "check" && Command != "report") {
    std::cerr << "stallhound-analyzer: error: runs 'check', 'report' and "
                 "'add-source-lines' for the stallhound command\n";
    return 2;
  }
  return stallhound::runSubcommand(
      argc - 1, argv + 1, [&](int Count, char **Args) {
        return Command == "check" ? stallhound::runCheck(Count, Args, argv[0])
                                  : stallhound::runReport(Count, Args);
      });
}
