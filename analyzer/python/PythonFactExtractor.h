//===- PythonFactExtractor.h - Phase 1 for one Python file ------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Produces the same facts as the C++ front end: every function with a stable
// id (module.qualname), coroutine functions as handlers, the blocking calls
// and CPU loops the rules match, and calls resolved through imports, so that
// phase 2 builds chains across modules exactly as it does across TUs.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_PYTHON_PYTHONFACTEXTRACTOR_H
#define STALLHOUND_ANALYZER_PYTHON_PYTHONFACTEXTRACTOR_H

#include "Config.h"
#include "Facts.h"

#include <string>

namespace stallhound::python {

/// Reads and analyzes one .py file (absolute path). A file that is not
/// Python gets a parse error with its position; a file that cannot be read
/// a setup error.
TuFacts extractPythonFacts(const std::string &Path, const Config &Cfg);

/// The same for source held in memory.
TuFacts extractPythonFacts(const std::string &Path, std::string Source,
                           const Config &Cfg);

} // namespace stallhound::python

#endif
