//===- SarifWriter.h - Findings as SARIF 2.1.0 (code scanning) --*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_SARIFWRITER_H
#define STALLHOUND_ANALYZER_SARIFWRITER_H

#include "Facts.h"
#include "Findings.h"
#include "RuleSet.h"

#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace stallhound {

const char *sarifLevel(Severity S);

/// SARIF locations: paths under the source root are relative to %SRCROOT%
/// (what GitHub code scanning needs), others are file:// URIs.
class SarifLocations {
public:
  explicit SarifLocations(std::string SourceRoot);

  nlohmann::json artifact(const std::string &File) const;
  nlohmann::json physical(const SourceLoc &L) const;
  nlohmann::json location(const SourceLoc &L, const std::string &Message) const;
  /// With a trailing slash, or empty.
  const std::string &root() const { return Root; }

private:
  std::string Root;
};

/// Hex xxh3 of a line-independent key, for partialFingerprints.
std::string sarifFingerprint(const std::string &Key);

/// Builds one SARIF run of stallhound: rules as reportingDescriptors (help
/// text and markdown with the fix hint, default level), results, and errors
/// as tool execution notifications.
class SarifBuilder {
public:
  SarifBuilder(std::string SourceRoot, std::string ToolVersion);

  void addRule(const Rule &R);
  /// A static finding: the call chain as a codeFlow, related locations, and
  /// the fingerprint of its baseline key. Returns the result for additions.
  nlohmann::json &addFinding(const Finding &F);
  /// Any other result; ruleIndex is filled in from its ruleId.
  nlohmann::json &addResult(nlohmann::json Result);
  void addError(const TuError &E);

  const SarifLocations &locations() const { return Locations; }
  nlohmann::json build() const;

private:
  SarifLocations Locations;
  std::string ToolVersion;
  nlohmann::json Descriptors = nlohmann::json::array();
  std::map<std::string, size_t> RuleIndex;
  std::deque<nlohmann::json> Results;
  nlohmann::json Notifications = nlohmann::json::array();
};

/// One SARIF run: every rule as reportingDescriptor (help text, fix hint,
/// default level), one result per finding with the call chain as a codeFlow,
/// line-independent partialFingerprints, and parse errors as tool execution
/// notifications. Paths under SourceRoot are relative to %SRCROOT%. Python
/// rules share ids with C++ rules but not their help: their SARIF ids are
/// "python/<id>".
nlohmann::json findingsToSarif(const std::vector<Finding> &Findings,
                               const std::vector<TuError> &Errors,
                               const RuleSet &Rules, const RuleSet &PythonRules,
                               const std::string &SourceRoot,
                               const std::string &ToolVersion);

/// The id a finding's rule has in SARIF.
std::string sarifRuleId(const Finding &F);

} // namespace stallhound

#endif
