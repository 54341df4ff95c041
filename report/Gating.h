//===- Gating.h - Which findings fail a CI job ------------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// --fail-on error|warning|note gates findings of that level or above;
// --fail-on RULE gates every finding of a rule ("sleep", "runtime/stall").
// --min-stall-ms drops runtime findings whose longest occurrence is shorter.
// Static levels come from the rule; runtime levels from the probe's
// severity: high is error, medium warning, low note.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_GATING_H
#define STALLHOUND_REPORT_GATING_H

#include "ReportModel.h"

#include <string>
#include <vector>

namespace stallhound::report {

Severity runtimeLevel(const RuntimeFinding &F);

class Gate {
public:
  /// Each entry is a level (error, warning, note or remark) or a rule id.
  explicit Gate(std::vector<std::string> FailOn);

  bool gates(const StaticFinding &S) const;
  bool gates(const RuntimeFinding &F) const;
  bool empty() const { return !MinLevel && Rules.empty(); }
  /// Rule ids of --fail-on, for checking that they exist.
  const std::vector<std::string> &rules() const { return Rules; }

private:
  std::optional<Severity> MinLevel;
  std::vector<std::string> Rules;
  bool gates(Severity Level, const std::string &RuleId) const;
};

/// Removes runtime findings whose maximum is below MinStallMs (before
/// correlation). Returns how many were removed.
size_t dropShortRuntimeFindings(Report &R, double MinStallMs);

} // namespace stallhound::report

#endif
