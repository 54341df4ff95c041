//===- TextRenderer.h - The merged report for people ------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_REPORT_TEXTRENDERER_H
#define STALLHOUND_REPORT_TEXTRENDERER_H

#include "ReportView.h"

#include <ostream>

namespace stallhound::report {

/// A summary read in ten seconds: the inputs in one line, handlers with the
/// longest stall time first (durations, what blocked, the static finding
/// that explains it, a one-line fix), then static findings never seen at
/// run time, then what gates the CI job.
void renderText(std::ostream &OS, const ReportView &View, bool Color);

} // namespace stallhound::report

#endif
