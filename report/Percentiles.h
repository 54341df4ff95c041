//===- Percentiles.h - p99 from what the probe records ----------*- C++ -*-===//
//
// The probe keeps count, total and maximum per finding, a log2 histogram of
// busy time per loop, and streams each stall as an event. A finding's p99 is
// exact when the event streams recorded every occurrence; a loop's p99 busy
// time is the upper bound of its histogram bucket.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_PERCENTILES_H
#define STALLHOUND_REPORT_PERCENTILES_H

#include "ReportModel.h"

#include <optional>

namespace stallhound::report {

/// Nearest-rank percentile (0 < P <= 1) of the finding's occurrences, when
/// every occurrence has a recorded duration.
std::optional<double> findingPercentileMs(const RuntimeFinding &F, double P);

/// An upper bound of the loop's busy-time percentile, in milliseconds: the
/// end of the histogram bucket holding it, at most the maximum.
std::optional<double> loopBusyPercentileMs(const LoopInfo &L, double P);

} // namespace stallhound::report

#endif
