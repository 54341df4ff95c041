//===- SarifWriter.h - Findings as SARIF 2.1.0 (code scanning) --*- C++ -*-===//

#ifndef STALLHOUND_ANALYZER_SARIFWRITER_H
#define STALLHOUND_ANALYZER_SARIFWRITER_H

#include "Facts.h"
#include "Findings.h"
#include "RuleSet.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stallhound {

/// One SARIF run: every rule as reportingDescriptor (help text, fix hint,
/// default level), one result per finding with the call chain as a codeFlow,
/// line-independent partialFingerprints, and parse errors as tool execution
/// notifications. Paths under SourceRoot are relative to %SRCROOT%.
nlohmann::json findingsToSarif(const std::vector<Finding> &Findings,
                               const std::vector<TuError> &Errors,
                               const RuleSet &Rules,
                               const std::string &SourceRoot,
                               const std::string &ToolVersion);

} // namespace stallhound

#endif
