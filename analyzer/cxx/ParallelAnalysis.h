//===- ParallelAnalysis.h - Phase 1 over many TUs, with a cache -*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_PARALLELANALYSIS_H
#define STALLHOUND_ANALYZER_PARALLELANALYSIS_H

#include "CommandAdjuster.h"
#include "Config.h"
#include "Facts.h"
#include "FactsCache.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace stallhound {

struct AnalysisOptions {
  unsigned Jobs = 1;
  std::string HeaderFilter; // overrides the configuration's when not empty
  const FactsCache *Cache = nullptr;
  /// Address space each TU's process may use (bytes; 0: no limit).
  uint64_t MemoryLimit = 0;
  /// Called after each TU: done, total, file.
  std::function<void(size_t, size_t, const std::string &)> Progress;
  /// Called with each note the command adjuster says, once per run.
  std::function<void(const std::string &)> Note;
};

/// Runs phase 1 on Files, each in a process of its own, up to Options.Jobs at
/// a time, each file with its configuration (already resolved for every file,
/// so that configuration errors are reported before any process starts). A
/// crash costs its TU only (an error of kind Crash). The result is in the
/// order of Files, whatever order the TUs finish in.
std::vector<TuFacts> analyzeFiles(const clang::tooling::CompilationDatabase &DB,
                                  const std::vector<std::string> &Files,
                                  ConfigResolver &Configs,
                                  CommandAdjuster &Adjuster,
                                  const AnalysisOptions &Options);

/// The cache key of a file: the compile command analyzed for it.
std::string commandKey(const clang::tooling::CompilationDatabase &DB,
                       const std::string &File);

} // namespace stallhound

#endif
