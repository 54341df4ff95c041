//===- HtmlRenderer.h - The merged report as one HTML page ------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_REPORT_HTMLRENDERER_H
#define STALLHOUND_REPORT_HTMLRENDERER_H

#include "ReportView.h"

#include <ostream>

namespace stallhound::report {

/// A self-contained page (inline CSS, JavaScript and SVG; no network): the
/// report's JSON is embedded and drawn by the page's script: per loop the
/// busy-time histogram and the stall timeline, then the findings table by
/// total stall time with each finding's handler, stack and source location.
void renderHtml(std::ostream &OS, const ReportView &View);

} // namespace stallhound::report

#endif
