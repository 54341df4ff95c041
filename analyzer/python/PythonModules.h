//===- PythonModules.h - Module names of Python files -----------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A file's module name follows from the packages around it: every directory
// holding an __init__.py is a package, and the first one that does not is the
// root the interpreter would find the top package in (a sys.path entry).
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_PYTHON_PYTHONMODULES_H
#define STALLHOUND_ANALYZER_PYTHON_PYTHONMODULES_H

#include <string>

namespace stallhound::python {

struct ModuleInfo {
  std::string Name;       // "pkg.sub.mod"; "pkg.sub" for pkg/sub/__init__.py
  std::string Root;       // the directory above the top package
  bool IsPackage = false; // an __init__.py
};

/// The module an absolute path to a .py file defines.
ModuleInfo moduleOf(const std::string &Path);

/// The absolute module a relative import names: `from ..x import y` is
/// Dots = 2, Rest = "x". Empty when it climbs above the top package.
std::string resolveRelativeImport(const ModuleInfo &From, unsigned Dots,
                                  const std::string &Rest);

} // namespace stallhound::python

#endif
