//===- JsonRenderer.h - The merged report as JSON ---------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_REPORT_JSONRENDERER_H
#define STALLHOUND_REPORT_JSONRENDERER_H

#include "ReportView.h"

#include <nlohmann/json.hpp>

namespace stallhound::report {

/// The schema is documented in docs/user-guide.md ("report JSON").
nlohmann::json renderJson(const ReportView &View);

} // namespace stallhound::report

#endif
