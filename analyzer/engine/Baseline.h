//===- Baseline.h - Known findings to ignore ---------------------*- C++
//-*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A baseline lets a team adopt stallhound on an existing code base: findings
// recorded once are ignored afterwards, new ones are reported. Keys leave out
// line and column numbers so that unrelated edits do not invalidate them.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_BASELINE_H
#define STALLHOUND_ANALYZER_BASELINE_H

#include "Findings.h"

#include <map>
#include <string>
#include <vector>

namespace stallhound {

/// rule | handler | call | file of the location | functions of the chain.
/// Paths are relative to Root when they are below it.
std::string baselineKey(const Finding &F, const std::string &Root);

class Baseline {
public:
  /// Throws LocatedError for a missing or malformed file.
  static Baseline read(const std::string &Path);
  static void write(const std::string &Path, const std::vector<Finding> &F);

  /// Removes the findings the baseline knows (each entry matches once).
  std::vector<Finding> filter(std::vector<Finding> Findings) const;

private:
  std::string Root;
  std::map<std::string, unsigned> Counts;
};

} // namespace stallhound

#endif
