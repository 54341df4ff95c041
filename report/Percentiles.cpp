//===- Percentiles.cpp - p99 from what the probe records ------------------===//

#include "Percentiles.h"

#include <algorithm>
#include <cmath>

namespace stallhound::report {

namespace {

uint64_t rank(uint64_t Count, double P) {
  return std::max<uint64_t>(1, uint64_t(std::ceil(P * double(Count))));
}

} // namespace

std::optional<double> findingPercentileMs(const RuntimeFinding &F, double P) {
  if (F.Count == 0 || F.Durations.size() != F.Count)
    return std::nullopt;
  std::vector<double> Sorted = F.Durations;
  std::sort(Sorted.begin(), Sorted.end());
  return Sorted[rank(Sorted.size(), P) - 1];
}

std::optional<double> loopBusyPercentileMs(const LoopInfo &L, double P) {
  uint64_t Total = 0;
  for (const HistogramBucket &B : L.Histogram)
    Total += B.Count;
  if (Total == 0)
    return std::nullopt;
  std::vector<HistogramBucket> Buckets = L.Histogram;
  std::sort(Buckets.begin(), Buckets.end(),
            [](const HistogramBucket &A, const HistogramBucket &B) {
              return A.LessThanUs < B.LessThanUs;
            });
  uint64_t Wanted = rank(Total, P), Seen = 0;
  for (const HistogramBucket &B : Buckets) {
    Seen += B.Count;
    if (Seen >= Wanted) {
      double Bound = double(B.LessThanUs) / 1000.0;
      return L.BusyMaxMs > 0 ? std::min(Bound, L.BusyMaxMs) : Bound;
    }
  }
  return L.BusyMaxMs;
}

} // namespace stallhound::report
