//===- UserCode.h - Which declarations are the user's own code --*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_USERCODE_H
#define STALLHOUND_ANALYZER_USERCODE_H

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Regex.h"

#include <optional>
#include <string>
#include <vector>

namespace stallhound {

/// User code is walked and followed; everything else is an opaque library.
/// System headers, headers installed under /usr and headers of known
/// libraries (LibraryHeaders, e.g. a bundled asio) are never user code; other
/// headers are, unless a header filter is given and their path does not match
/// it. The main file always is.
class UserCode {
public:
  UserCode(const clang::SourceManager &SM, const std::string &HeaderFilter,
           const std::vector<std::string> &LibraryHeaders = {});

  bool contains(const clang::Decl *D) const;
  /// True when Loc (a spelling location: where text is written) is in a
  /// user file.
  bool containsLocation(clang::SourceLocation Loc) const;

private:
  const clang::SourceManager &SM;
  std::optional<llvm::Regex> Filter;
  std::vector<llvm::Regex> Libraries;
  mutable llvm::DenseMap<clang::FileID, bool> ByFile;
};

} // namespace stallhound

#endif
