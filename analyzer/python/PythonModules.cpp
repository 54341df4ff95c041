//===- PythonModules.cpp - Module names of Python files -------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonModules.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace stallhound::python {

namespace {

bool isPackageDirectory(llvm::StringRef Dir) {
  llvm::SmallString<256> Init(Dir);
  llvm::sys::path::append(Init, "__init__.py");
  return llvm::sys::fs::exists(Init);
}

} // namespace

ModuleInfo moduleOf(const std::string &Path) {
  namespace path = llvm::sys::path;
  ModuleInfo Out;
  std::string Stem = path::stem(Path).str();
  Out.IsPackage = Stem == "__init__";
  std::string Name = Out.IsPackage ? "" : Stem;
  std::string Dir = path::parent_path(Path).str();
  while (!Dir.empty() && isPackageDirectory(Dir)) {
    std::string Package = path::filename(Dir).str();
    Name = Name.empty() ? Package : Package + "." + Name;
    std::string Parent = path::parent_path(Dir).str();
    if (Parent == Dir)
      break;
    Dir = Parent;
  }
  Out.Name = Name.empty() ? Stem : Name;
  Out.Root = Dir;
  return Out;
}

std::string resolveRelativeImport(const ModuleInfo &From, unsigned Dots,
                                  const std::string &Rest) {
  std::string Base = From.Name;
  // `from . import x` in a module means its package; in __init__.py, itself.
  unsigned Climb = From.IsPackage ? Dots - 1 : Dots;
  for (unsigned I = 0; I < Climb; ++I) {
    size_t Dot = Base.rfind('.');
    if (Dot == std::string::npos) {
      if (I + 1 < Climb || Base.empty())
        return "";
      Base.clear();
      continue;
    }
    Base.resize(Dot);
  }
  if (Rest.empty())
    return Base;
  return Base.empty() ? Rest : Base + "." + Rest;
}

} // namespace stallhound::python
