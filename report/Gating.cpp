//===- Gating.cpp - Which findings fail a CI job --------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Gating.h"

#include "RuleCatalog.h"

#include <algorithm>

namespace stallhound::report {

Severity runtimeLevel(const RuntimeFinding &F) {
  if (F.Severity == "high")
    return Severity::Error;
  if (F.Severity == "low")
    return Severity::Remark;
  return Severity::Warning;
}

Gate::Gate(std::vector<std::string> FailOn) {
  for (std::string &Entry : FailOn) {
    std::optional<Severity> Level =
        Entry == "note" ? Severity::Remark : parseSeverity(Entry);
    if (Level) {
      if (!MinLevel || *Level < *MinLevel)
        MinLevel = Level;
      continue;
    }
    if (Entry.rfind("stallhound-", 0) == 0)
      Entry.erase(0, 11); // as printed in brackets by check
    Rules.push_back(std::move(Entry));
  }
}

bool Gate::gates(Severity Level, const std::string &RuleId) const {
  if (MinLevel && Level >= *MinLevel)
    return true;
  return std::find(Rules.begin(), Rules.end(), RuleId) != Rules.end();
}

bool Gate::gates(const StaticFinding &S) const {
  return gates(S.F.R->Level, S.F.RuleId);
}

bool Gate::gates(const RuntimeFinding &F) const {
  return gates(runtimeLevel(F), RuleCatalog::runtimeRuleId(F.Kind));
}

size_t dropShortRuntimeFindings(Report &R, double MinStallMs) {
  size_t Before = R.Runtime.size();
  R.Runtime.erase(std::remove_if(R.Runtime.begin(), R.Runtime.end(),
                                 [&](const RuntimeFinding &F) {
                                   return F.MaxMs < MinStallMs;
                                 }),
                  R.Runtime.end());
  return Before - R.Runtime.size();
}

} // namespace stallhound::report
