//===- main.cpp - The stallhound command ----------------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "CommandSupport.h"
#include "Commands.h"

#include <cstring>
#include <iostream>
#include <string>
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

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::cerr << Usage;
    return 2;
  }
  std::string Command = argv[1];
  bool Known = Command == "check" || Command == "run" || Command == "report";
  if (Known) {
    // One convention for every subcommand: --opt=value, -p=DIR, --version.
    std::vector<std::string> Args = stallhound::splitInlineValues(argc - 1, argv + 1);
    for (size_t I = 1; I < Args.size() && Args[I] != "--"; ++I)
      if (Args[I] == "--version") {
        std::cout << "stallhound " << STALLHOUND_VERSION << "\n";
        return 0;
      }
    std::vector<char *> Pointers;
    for (std::string &A : Args)
      Pointers.push_back(A.data());
    Pointers.push_back(nullptr);
    int Count = static_cast<int>(Args.size());
    if (Command == "check")
      return stallhound::runCheck(Count, Pointers.data(), argv[0]);
    if (Command == "run")
      return stallhound::runRun(Count, Pointers.data(), argv[0]);
    return stallhound::runReport(Count, Pointers.data(), argv[0]);
  }
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
