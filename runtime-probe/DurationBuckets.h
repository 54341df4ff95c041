//===- DurationBuckets.h - log2 histogram buckets of durations --*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_DURATIONBUCKETS_H
#define STALLHOUND_PROBE_DURATIONBUCKETS_H

#include <cstdint>

namespace stallhound::probe {

/// Bucket I holds durations in [2^(I-1), 2^I) microseconds; bucket 0 is
/// below 1 us, the last one is open-ended.
constexpr unsigned DurationBuckets = 32;

inline unsigned durationBucket(uint64_t Ns) {
  uint64_t Us = Ns / 1000;
  unsigned Bucket = Us ? 64 - __builtin_clzll(Us) : 0;
  return Bucket < DurationBuckets ? Bucket : DurationBuckets - 1;
}

/// The exclusive upper bound of bucket I, in microseconds.
inline uint64_t bucketLimitUs(unsigned I) { return uint64_t(1) << I; }

} // namespace stallhound::probe

#endif
