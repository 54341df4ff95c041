//===- UserCode.cpp - Which declarations are the user's own code ----------===//

#include "UserCode.h"

using namespace clang;

namespace stallhound {

UserCode::UserCode(const SourceManager &SM, const std::string &HeaderFilter)
    : SM(SM) {
  if (!HeaderFilter.empty())
    Filter.emplace(HeaderFilter);
}

bool UserCode::contains(const Decl *D) const {
  SourceLocation Loc = D->getLocation();
  if (Loc.isInvalid())
    return false;
  Loc = SM.getExpansionLoc(Loc);
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
      It->second = !Installed && (!Filter || Filter->match(Path));
    }
  }
  return It->second;
}

} // namespace stallhound
