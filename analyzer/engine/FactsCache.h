//===- FactsCache.h - Skip parsing units that did not change ----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// An entry is keyed by what the unit is (a TU's compile commands, a Python
// file and its module) and the analyzer's configuration (version, rules,
// header filter), and is valid while every file the unit read (main file and
// headers) still has the same content.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_FACTSCACHE_H
#define STALLHOUND_ANALYZER_FACTSCACHE_H

#include "Facts.h"

#include <optional>
#include <string>

namespace stallhound {

class FactsCache {
public:
  FactsCache(std::string Dir, std::string Configuration);

  std::optional<TuFacts> lookup(const std::string &CommandKey) const;
  /// Stores facts of a TU that parsed cleanly; Facts.Inputs lists its files.
  void store(const std::string &CommandKey, const TuFacts &Facts) const;

private:
  std::string Dir;
  std::string Configuration;

  std::string entryPath(const std::string &CommandKey) const;
};

} // namespace stallhound

#endif
