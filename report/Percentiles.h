//===- Percentiles.h - p99 from what the probe records ----------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The probe keeps count, total, maximum and a log2 histogram per finding and
// per loop, and streams each stall as an event. A finding's p99 is exact when
// the event streams recorded every occurrence, else the upper bound of the
// histogram bucket that holds it (at most the maximum); so is a loop's.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_PERCENTILES_H
#define STALLHOUND_REPORT_PERCENTILES_H

#include "ReportModel.h"

#include <optional>

namespace stallhound::report {

/// Nearest-rank percentile (0 < P <= 1) of the finding's occurrences: exact
/// when every occurrence has a recorded duration, else an upper bound from
/// the probe's histogram; none when neither covers every occurrence.
std::optional<double> findingPercentileMs(const RuntimeFinding &F, double P);

/// Adds From's buckets to Into (merging findings of several processes).
void addBuckets(std::vector<HistogramBucket> &Into,
                const std::vector<HistogramBucket> &From);

/// An upper bound of the loop's busy-time percentile, in milliseconds: the
/// end of the histogram bucket holding it, at most the maximum.
std::optional<double> loopBusyPercentileMs(const LoopInfo &L, double P);

} // namespace stallhound::report

#endif
