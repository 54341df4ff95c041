//===- Correlation.h - Static findings confirmed at run time ----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A static finding is confirmed when a stall or blocking call of its handler
// was seen at run time with a compatible call (a sleep rule and nanosleep, a
// CPU loop and a sampled CPU stall); that runtime finding is explained by it.
// The handler matches by name (the probe's handler or any frame of its
// stack), else by file and line (the runtime handler's line falls in the
// static handler, the nearest handler above it in the same file).
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_CORRELATION_H
#define STALLHOUND_REPORT_CORRELATION_H

#include "ReportModel.h"

#include <string>

namespace stallhound::report {

void correlate(Report &R);

/// Whether a static rule's category can describe a runtime call ("cpu" for a
/// sampled CPU stall, "unknown" for a stall without a cause).
bool categoryFitsCall(const std::string &Category, const std::string &Call);

/// The runtime figures of a confirmed static finding: its stalls if any were
/// seen, else its blocking calls.
struct RuntimeFigures {
  std::string Kind;
  uint64_t Count = 0;
  double TotalMs = 0;
  double MaxMs = 0;
  std::optional<double> P99Ms;
  std::vector<size_t> Findings;
};
std::optional<RuntimeFigures> runtimeFigures(const Report &R,
                                             const StaticFinding &S);

} // namespace stallhound::report

#endif
