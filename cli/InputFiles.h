//===- InputFiles.h - Input files, or the files of a folder -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_CLI_INPUTFILES_H
#define STALLHOUND_CLI_INPUTFILES_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace stallhound {

/// Paths as given, except that a directory stands for the files under it,
/// at any depth (facts written beside the objects of a build tree), whose
/// names end with Suffix, in path order. Throws std::runtime_error when a
/// directory cannot be listed.
std::vector<std::string> expandInputFiles(const std::vector<std::string> &Paths,
                                          llvm::StringRef Suffix);

/// A C or C++ source or header, by its extension: a compile database may also
/// list assembly (.S, .s) and other languages.
bool isCOrCxxSource(llvm::StringRef Path);

} // namespace stallhound

#endif
