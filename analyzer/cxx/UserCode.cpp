//===- UserCode.cpp - Which declarations are the user's own code ----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "UserCode.h"

#include <algorithm>

using namespace clang;

namespace stallhound {

UserCode::UserCode(const SourceManager &SM, const std::string &HeaderFilter,
                   const std::vector<std::string> &LibraryHeaders)
    : SM(SM) {
  if (!HeaderFilter.empty())
    Filter.emplace(HeaderFilter);
  for (const std::string &Pattern : LibraryHeaders)
    Libraries.emplace_back(Pattern);
}

bool UserCode::contains(const Decl *D) const {
  SourceLocation Loc = D->getLocation();
  if (Loc.isInvalid())
    return false;
  return containsLocation(SM.getExpansionLoc(Loc));
}

bool UserCode::containsLocation(SourceLocation Loc) const {
  if (Loc.isInvalid() || Loc.isMacroID())
    return false;
  if (SM.isInSystemHeader(Loc))
    return false;
  FileID File = SM.getFileID(Loc);
  if (File == SM.getMainFileID())
    return true;
  auto [It, Inserted] = ByFile.try_emplace(File, false);
  if (Inserted) {
    OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
    if (Entry) {
      // The real path: "app/../vendor/x.h" must not match "app/".
      llvm::StringRef Real = Entry->getFileEntry().tryGetRealPathName();
      llvm::StringRef Path = Real.empty() ? Entry->getName() : Real;
      // Installed libraries are libraries even when included with -I
      // (python3-config --includes, -I/usr/include/boost).
      bool Installed = Path.starts_with("/usr/include/") ||
                       Path.starts_with("/usr/local/include/") ||
                       Path.starts_with("/usr/lib/");
      bool Library =
          std::any_of(Libraries.begin(), Libraries.end(),
                      [&](const llvm::Regex &R) { return R.match(Path); });
      It->second = !Installed && !Library && (!Filter || Filter->match(Path));
    }
  }
  return It->second;
}

} // namespace stallhound
