//===- main.cpp - The stallhound command ----------------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Commands.h"

#include <cstring>
#include <iostream>

namespace {

const char *Usage = R"(usage: stallhound COMMAND [ARGS...]

Finds what blocks an event loop.

commands:
  check    analyze C++ sources for calls that block coroutine handlers
  run      run a server with the runtime probe and report what blocked its
           event loop
  report   merge static and runtime reports: text, JSON, SARIF or HTML, with
           the static findings confirmed at run time, for people and CI

Run 'stallhound COMMAND --help' for a command's options.
)";

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::cerr << Usage;
    return 2;
  }
  std::string Command = argv[1];
  if (Command == "check")
    return stallhound::runCheck(argc - 1, argv + 1, argv[0]);
  if (Command == "run")
    return stallhound::runRun(argc - 1, argv + 1, argv[0]);
  if (Command == "report")
    return stallhound::runReport(argc - 1, argv + 1, argv[0]);
  if (Command == "--help" || Command == "-h" || Command == "help") {
    std::cout << Usage;
    return 0;
  }
  if (Command == "--version") {
    std::cout << "stallhound " << STALLHOUND_VERSION << "\n";
    return 0;
  }
  std::cerr << "stallhound: error: unknown command '" << Command << "'\n"
            << Usage;
  return 2;
}
