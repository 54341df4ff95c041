//===- JsonRenderer.h - The merged report as JSON ---------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_REPORT_JSONRENDERER_H
#define STALLHOUND_REPORT_JSONRENDERER_H

#include "ReportView.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace stallhound::report {

/// The schema is documented in docs/user-guide.md ("report JSON").
/// The merged report as one document (for small reports and tests).
nlohmann::json renderJson(const ReportView &View);

/// The same JSON written as it is made, an element at a time, byte for byte
/// what renderJson(View).dump(Indent) gives: memory holds the report, not a
/// document of it.
void writeJson(std::ostream &OS, const ReportView &View, int Indent);

} // namespace stallhound::report

#endif
