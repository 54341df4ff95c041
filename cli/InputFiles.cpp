//===- InputFiles.cpp - Files named on the command line, or in a folder ---===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "InputFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <stdexcept>

namespace stallhound {

std::vector<std::string> expandInputFiles(const std::vector<std::string> &Paths,
                                          llvm::StringRef Suffix) {
  std::vector<std::string> Files;
  for (const std::string &Path : Paths) {
    if (!llvm::sys::fs::is_directory(Path)) {
      Files.push_back(Path);
      continue;
    }
    std::vector<std::string> InDir;
    std::error_code EC;
    for (llvm::sys::fs::recursive_directory_iterator It(Path, EC), End;
         It != End && !EC; It.increment(EC))
      if (llvm::StringRef(It->path()).ends_with(Suffix) &&
          It->type() != llvm::sys::fs::file_type::directory_file)
        InDir.push_back(It->path());
    if (EC)
      throw std::runtime_error(Path +
                               ": cannot list directory: " + EC.message());
    std::sort(InDir.begin(), InDir.end());
    Files.insert(Files.end(), InDir.begin(), InDir.end());
  }
  return Files;
}

bool isCOrCxxSource(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  for (const char *Known :
       {".c",    ".cc",  ".cpp",  ".cxx",  ".c++", ".cp", ".C",   ".CPP",
        ".cppm", ".ccm", ".cxxm", ".c++m", ".h",   ".hh", ".hpp", ".hxx",
        ".h++",  ".H",   ".inl",  ".ipp",  ".tpp", ".tcc"})
    if (Ext == Known)
      return true;
  return false;
}

} // namespace stallhound
