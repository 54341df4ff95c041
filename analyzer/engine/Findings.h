//===- Findings.h - Phase 2: merge facts and report per handler -*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_FINDINGS_H
#define STALLHOUND_ANALYZER_FINDINGS_H

#include "Facts.h"
#include "RuleSet.h"

#include <functional>
#include <string>
#include <vector>

namespace stallhound {

struct ChainStep {
  std::string Function; // the caller at this step
  SourceLoc Loc;        // where it makes the next call
  std::string Callee;   // what it calls there
};

/// Another blocking site reached through the same call of the handler, or
/// another call on the same object.
struct AlsoSite {
  std::string Function;
  std::string Call;
  SourceLoc Loc;
};

/// A chain keeps its first and last steps; the ones between are counted.
constexpr size_t MaxChainSteps = 12;
/// Other sites are listed up to this many; the rest are counted.
constexpr size_t MaxAlsoSites = 10;

struct Finding {
  const Rule *R = nullptr;
  std::string RuleId; // may differ from R->Id only for unknown rules
  std::string Message;
  SourceLoc
      Loc; // in the handler: the blocking call or the first call of the chain
  std::string HandlerName;
  SourceLoc HandlerLoc;
  std::string Call;
  std::string Detail;
  std::vector<ChainStep> Chain; // empty when the handler blocks directly
  /// Steps left out of a long chain, between Chain[ElidedAfter - 1] and
  /// Chain[ElidedAfter].
  size_t ElidedSteps = 0;
  size_t ElidedAfter = 0;
  std::optional<SourceLoc> Related;
  std::string RelatedNote;
  std::vector<AlsoSite> Also;
  size_t MoreAlso = 0; // sites beyond Also, counted only
};

/// What phase 2 merged (for --stats).
struct MergeStats {
  size_t Functions = 0;
  size_t Calls = 0;
  size_t Handlers = 0;
  size_t Findings = 0;
  /// Calls to a function defined in several programs, none of them in the
  /// caller's: not followed.
  size_t AmbiguousCalls = 0;
};

/// Merges the facts of all translation units and reports, for every handler,
/// what blocks in it or in the functions it calls. Sorted by location.
std::vector<Finding> buildFindings(const std::vector<TuFacts> &Units,
                                   const RuleSet &Rules);

/// The same, with the rules configured for each handler's file.
std::vector<Finding> buildFindings(
    const std::vector<TuFacts> &Units,
    const std::function<const RuleSet &(const std::string &)> &RulesFor,
    MergeStats *Stats = nullptr);

} // namespace stallhound

#endif
