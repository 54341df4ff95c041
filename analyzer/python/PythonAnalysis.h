//===- PythonAnalysis.h - Phase 1 over Python sources -----------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_PYTHON_PYTHONANALYSIS_H
#define STALLHOUND_ANALYZER_PYTHON_PYTHONANALYSIS_H

#include "Config.h"
#include "Facts.h"

#include <string>
#include <vector>

namespace stallhound {
class FactsCache;
}

namespace stallhound::python {

/// True when a command-line argument is Python input: a directory, a
/// .py/.pyi file, or a missing path with no extension (a mistyped directory).
bool isPythonInput(const std::string &Argument);

/// The .py files of the arguments (absolute, sorted, each once). Directories
/// are walked without entering virtual environments, site-packages, caches
/// and VCS folders, or the paths a configuration's "exclude" matches; a file
/// named explicitly is always analyzed. Throws std::runtime_error for an
/// argument that does not exist.
std::vector<std::string> findPythonFiles(const std::vector<std::string> &Args,
                                         ConfigResolver &Configs);

/// Phase 1 for each file, Jobs at a time, in the order given; with a Cache,
/// a file whose content, module and configuration are unchanged is not
/// parsed again.
std::vector<TuFacts> analyzePythonFiles(const std::vector<std::string> &Files,
                                        ConfigResolver &Configs, unsigned Jobs,
                                        const FactsCache *Cache = nullptr);

} // namespace stallhound::python

#endif
