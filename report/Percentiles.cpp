//===- Percentiles.cpp - p99 from what the probe records ------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Percentiles.h"

#include <algorithm>
#include <cmath>

namespace stallhound::report {

namespace {

uint64_t rank(uint64_t Count, double P) {
  return std::max<uint64_t>(1, uint64_t(std::ceil(P * double(Count))));
}

uint64_t total(const std::vector<HistogramBucket> &Buckets) {
  uint64_t Total = 0;
  for (const HistogramBucket &B : Buckets)
    Total += B.Count;
  return Total;
}

/// The end of the bucket holding the percentile, at most MaxMs (when known).
std::optional<double> bucketPercentileMs(std::vector<HistogramBucket> Buckets,
                                         double MaxMs, double P) {
  uint64_t Total = total(Buckets);
  if (Total == 0)
    return std::nullopt;
  std::sort(Buckets.begin(), Buckets.end(),
            [](const HistogramBucket &A, const HistogramBucket &B) {
              return A.LessThanUs < B.LessThanUs;
            });
  uint64_t Wanted = rank(Total, P), Seen = 0;
  for (const HistogramBucket &B : Buckets) {
    Seen += B.Count;
    if (Seen >= Wanted) {
      double Bound = double(B.LessThanUs) / 1000.0;
      return MaxMs > 0 ? std::min(Bound, MaxMs) : Bound;
    }
  }
  return MaxMs;
}

} // namespace

std::optional<double> findingPercentileMs(const RuntimeFinding &F, double P) {
  if (F.Count == 0)
    return std::nullopt;
  if (F.Durations.size() == F.Count) {
    std::vector<double> Sorted = F.Durations;
    std::sort(Sorted.begin(), Sorted.end());
    return Sorted[rank(Sorted.size(), P) - 1];
  }
  if (total(F.Histogram) != F.Count)
    return std::nullopt;
  return bucketPercentileMs(F.Histogram, F.MaxMs, P);
}

std::optional<double> loopBusyPercentileMs(const LoopInfo &L, double P) {
  return bucketPercentileMs(L.Histogram, L.BusyMaxMs, P);
}

void addBuckets(std::vector<HistogramBucket> &Into,
                const std::vector<HistogramBucket> &From) {
  for (const HistogramBucket &B : From) {
    auto It = std::find_if(Into.begin(), Into.end(),
                           [&](const HistogramBucket &Have) {
                             return Have.LessThanUs == B.LessThanUs;
                           });
    if (It == Into.end())
      Into.push_back(B);
    else
      It->Count += B.Count;
  }
}

} // namespace stallhound::report
