//===- Suppressions.h - NOLINT comments, as clang-tidy reads them -*- C++
//-*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_SUPPRESSIONS_H
#define STALLHOUND_ANALYZER_SUPPRESSIONS_H

#include "Findings.h"

#include <map>
#include <string>
#include <vector>

namespace stallhound {

/// Reads source lines on demand to honour `// NOLINT(stallhound-<rule>)` on
/// the reported line or at the blocking call, and `// NOLINTNEXTLINE(...)` on
/// the line above. A bare NOLINT silences every rule; names may end in '*'.
/// In Python files: `# noqa: stallhound-<rule>` or `# stallhound:
/// ignore[<rule>]` on the reported line or at the blocking call.
class Suppressions {
public:
  bool suppresses(const Finding &F);

private:
  std::map<std::string, std::vector<std::string>> Files;

  const std::string *line(const std::string &File, unsigned Line);
  bool silencedAt(const SourceLoc &Loc, const std::string &Rule);
};

/// True when a NOLINT comment text (what follows "NOLINT" or
/// "NOLINTNEXTLINE") silences Rule.
bool nolintCovers(const std::string &AfterMarker, const std::string &Rule);

} // namespace stallhound

#endif
