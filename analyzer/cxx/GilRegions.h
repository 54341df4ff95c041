//===- GilRegions.h - Where a CPython extension has released the GIL -*- C++
//-*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Code between Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS (that is,
// PyEval_SaveThread() ... PyEval_RestoreThread()), or in the scope of a
// pybind11 gil_scoped_release, runs without the GIL: blocking there is right.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_GILREGIONS_H
#define STALLHOUND_ANALYZER_GILREGIONS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"

#include <vector>

namespace stallhound {

class GilRegions {
public:
  GilRegions(const clang::Stmt *Body, clang::ASTContext &Ctx);

  /// True when code at Loc runs with the GIL released.
  bool releasedAt(clang::SourceLocation Loc) const;

private:
  const clang::SourceManager &SM;
  std::vector<clang::SourceRange> Released;
};

/// True when a declaration list (a PyMethodDef table, PyType_Slot array or
/// PyTypeObject) registers functions that CPython calls with the GIL held.
bool isGilEntryTable(clang::QualType T);

} // namespace stallhound

#endif
