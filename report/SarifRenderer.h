//===- SarifRenderer.h - The merged report as SARIF 2.1.0 -------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_REPORT_SARIFRENDERER_H
#define STALLHOUND_REPORT_SARIFRENDERER_H

#include "ReportView.h"

#include <nlohmann/json.hpp>

namespace stallhound::report {

/// One run of stallhound for GitHub code scanning: static findings as
/// `check --format sarif` writes them (same fingerprints), with the runtime
/// figures when confirmed; runtime findings under "runtime/<kind>" rules,
/// located at their handler, with the stack as a codeFlow and a related
/// location at the static finding that explains them.
nlohmann::json renderSarif(const ReportView &View);

} // namespace stallhound::report

#endif
