//===- FactsCache.h - Skip parsing translation units that did not change -*- C++
//-*-//
//
// An entry is keyed by the TU's compile commands and the analyzer's
// configuration (version, rules, header filter), and is valid while every file
// the TU read (main file and headers) still has the same content.
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
