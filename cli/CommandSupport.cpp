//===- CommandSupport.cpp - What the subcommands share --------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "CommandSupport.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <glob.h>
#include <iostream>
#include <unistd.h>

namespace stallhound {

std::string absolutePath(const std::string &Path) {
  std::error_code Ignored;
  std::string P =
      std::filesystem::absolute(Path, Ignored).lexically_normal().string();
  while (P.size() > 1 && P.back() == '/')
    P.pop_back();
  return P;
}

bool wantsColor(const std::string &Option, const std::string &OutputFile) {
  if (Option != "auto")
    return Option == "always";
  // The conventions of https://no-color.org and CLICOLOR_FORCE; an explicit
  // --color wins over both.
  auto Set = [](const char *Name) {
    const char *V = std::getenv(Name);
    return V && *V && std::strcmp(V, "0") != 0;
  };
  if (Set("NO_COLOR"))
    return false;
  if (Set("CLICOLOR_FORCE"))
    return true;
  const char *Term = std::getenv("TERM");
  if (Term && std::strcmp(Term, "dumb") == 0)
    return false;
  return OutputFile.empty() && isatty(STDOUT_FILENO);
}

std::vector<std::string> splitInlineValues(int argc, char **argv) {
  std::vector<std::string> Out;
  bool Options = true;
  for (int I = 0; I < argc; ++I) {
    std::string A = argv[I];
    if (Options && (A == "--" || A == "--launcher"))
      Options = false;
    size_t Eq = A.find('=');
    bool Long = A.size() > 2 && A.compare(0, 2, "--") == 0;
    bool ShortWithEq =
        A.size() > 3 && A[0] == '-' && A[1] != '-' && A[2] == '=';
    if (Options && Eq != std::string::npos && (Long || ShortWithEq)) {
      Out.push_back(A.substr(0, Eq)); // --format=json, -p=build
      Out.push_back(A.substr(Eq + 1));
    } else {
      Out.push_back(A);
    }
  }
  return Out;
}

std::vector<std::string> globFiles(const std::string &Pattern) {
  std::vector<std::string> Paths;
  glob_t Found;
  if (glob(Pattern.c_str(), 0, nullptr, &Found) == 0)
    Paths.assign(Found.gl_pathv, Found.gl_pathv + Found.gl_pathc);
  globfree(&Found);
  return Paths;
}

int runSubcommand(int Argc, char **Argv,
                  const std::function<int(int, char **)> &Subcommand) {
  std::vector<std::string> Args = splitInlineValues(Argc, Argv);
  for (size_t I = 1;
       I < Args.size() && Args[I] != "--" && Args[I] != "--launcher"; ++I)
    if (Args[I] == "--version") {
      std::cout << "stallhound " << STALLHOUND_VERSION << "\n";
      return 0;
    }
  std::vector<char *> Pointers;
  for (std::string &A : Args)
    Pointers.push_back(A.data());
  Pointers.push_back(nullptr);
  return Subcommand(static_cast<int>(Args.size()), Pointers.data());
}

int reportUsageError(const char *Command, const UsageError &E) {
  std::cerr << "stallhound " << Command << ": error: " << E.what() << "\n"
            << "Run 'stallhound " << Command << " --help' for usage.\n";
  return 2;
}

int reportError(const std::exception &E) {
  std::cerr << "stallhound: error: " << E.what() << "\n";
  return 2;
}

} // namespace stallhound
