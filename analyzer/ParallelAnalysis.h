//===- ParallelAnalysis.h - Phase 1 over many TUs, with a cache -*- C++ -*-===//

#ifndef STALLHOUND_ANALYZER_PARALLELANALYSIS_H
#define STALLHOUND_ANALYZER_PARALLELANALYSIS_H

#include "CommandAdjuster.h"
#include "Config.h"
#include "Facts.h"
#include "FactsCache.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <functional>
#include <string>
#include <vector>

namespace stallhound {

struct AnalysisOptions {
  unsigned Jobs = 1;
  std::string HeaderFilter; // overrides the configuration's when not empty
  const FactsCache *Cache = nullptr;
  /// Called after each TU (from any thread, serialized): done, total, file.
  std::function<void(size_t, size_t, const std::string &)> Progress;
};

/// Runs phase 1 on Files with up to Options.Jobs threads, each file with its
/// configuration (already resolved for every file, so that configuration
/// errors are reported before any thread starts). The result is in the order
/// of Files, whatever order the TUs finish in.
std::vector<TuFacts> analyzeFiles(const clang::tooling::CompilationDatabase &DB,
                                  const std::vector<std::string> &Files,
                                  ConfigResolver &Configs,
                                  CommandAdjuster &Adjuster,
                                  const AnalysisOptions &Options);

/// The cache key of a file: every compile command the database has for it.
std::string commandKey(const clang::tooling::CompilationDatabase &DB,
                       const std::string &File);

} // namespace stallhound

#endif
