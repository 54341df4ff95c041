//===- InputFiles.h - Input files, or the files of a folder -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_CLI_INPUTFILES_H
#define STALLHOUND_CLI_INPUTFILES_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace stallhound {

/// Paths as given, except that a directory stands for its files whose names
/// end with Suffix, in name order. Throws std::runtime_error when a directory
/// cannot be listed.
std::vector<std::string> expandInputFiles(const std::vector<std::string> &Paths,
                                          llvm::StringRef Suffix);

} // namespace stallhound

#endif
