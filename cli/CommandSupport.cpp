//===- CommandSupport.cpp - What the subcommands share --------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "CommandSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <iostream>
#include <unistd.h>

namespace stallhound {

std::string absolutePath(const std::string &Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, true);
  return std::string(P);
}

bool wantsColor(const std::string &Option, const std::string &OutputFile) {
  return Option == "always" ||
         (Option == "auto" && OutputFile.empty() && isatty(STDOUT_FILENO));
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
