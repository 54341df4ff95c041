//===- FindingPrinter.h - Text and JSON output of check ---------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_FINDINGPRINTER_H
#define STALLHOUND_ANALYZER_FINDINGPRINTER_H

#include "Facts.h"
#include "Findings.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

namespace stallhound {

/// clang-style: "file:line:col: warning: message [stallhound-rule]" followed by
/// note lines for the call chain, related locations and the fix hint.
void printText(std::ostream &OS, const std::vector<Finding> &Findings,
               bool Color);

/// One error per line: "file:line:col: error: message".
std::string formatError(const TuError &E);

/// One finding as `check --format json` lists it.
nlohmann::json findingToJson(const Finding &F);

nlohmann::json findingsToJson(const std::vector<Finding> &Findings,
                              const std::vector<TuError> &Errors,
                              size_t UnitsAnalyzed);

} // namespace stallhound

#endif
