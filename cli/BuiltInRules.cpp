//===- BuiltInRules.cpp - Where the shipped rules are ---------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "BuiltInRules.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace stallhound {

std::string builtInRulesDir(const char *Argv0) {
  static int Anchor;
  std::string Exe = llvm::sys::fs::getMainExecutable(Argv0, &Anchor);
  llvm::SmallString<256> Installed(llvm::sys::path::parent_path(Exe));
  llvm::sys::path::append(Installed, "..", "share", "stallhound", "rules");
  if (llvm::sys::fs::is_directory(Installed))
    return std::string(Installed);
  return STALLHOUND_SOURCE_RULES_DIR;
}

} // namespace stallhound
