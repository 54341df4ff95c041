//===- main.cpp - The stallhound command ----------------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// `run` is built in; `check` and `report`, which need LLVM, are in
// libexec/stallhound/stallhound-analyzer, so that the runtime probe installs
// and builds without a Clang toolchain.
//
//===----------------------------------------------------------------------===//

#include "CommandSupport.h"
#include "Commands.h"
#include "Installation.h"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

const char *Usage = R"(usage: stallhound COMMAND [ARGS...]

Finds what blocks an event loop.

commands:
  check    analyze C++ and Python sources for calls that block coroutine
           handlers
  run      run a server with the runtime probe and report what blocked its
           event loop
  report   merge static and runtime reports: text, JSON, SARIF or HTML, with
           the static findings confirmed at run time, for people and CI

Run 'stallhound COMMAND --help' for a command's options. Every command
accepts --version, and options as '--name value' or '--name=value'.
)";

int printVersion() {
  std::cout << "stallhound " << STALLHOUND_VERSION << "\n";
  return 0;
}

/// check and report: the analyzer takes over this process.
int runInAnalyzer(char **argv) {
  std::string Analyzer = stallhound::analyzerPath();
  if (access(Analyzer.c_str(), X_OK) != 0) {
    std::cerr << "stallhound: error: 'stallhound " << argv[0]
              << "' is not installed here (" << Analyzer
              << " is missing): it comes with the 'stallhound' package; "
                 "this installation has the runtime probe only\n";
    return 2;
  }
  std::vector<char *> Args = {Analyzer.data()};
  for (char **A = argv; *A; ++A)
    Args.push_back(*A);
  Args.push_back(nullptr);
  execv(Analyzer.c_str(), Args.data());
  std::cerr << "stallhound: error: cannot run " << Analyzer << ": "
            << std::strerror(errno) << "\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::cerr << Usage;
    return 2;
  }
  std::string Command = argv[1];
  if (Command == "check" || Command == "report")
    return runInAnalyzer(argv + 1);
  if (Command == "run")
    return stallhound::runSubcommand(argc - 1, argv + 1, stallhound::runRun);
  if (Command == "--help" || Command == "-h" || Command == "help") {
    std::cout << Usage;
    return 0;
  }
  if (Command == "--version")
    return printVersion();
  std::cerr << "stallhound: error: unknown command '" << Command << "'\n"
            << Usage;
  return 2;
}
