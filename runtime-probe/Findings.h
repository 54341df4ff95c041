//===- Findings.h - Deduplicated stalls and blocking calls ------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_FINDINGS_H
#define STALLHOUND_PROBE_FINDINGS_H

#include "DurationBuckets.h"
#include "PythonFrames.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace stallhound::probe {

enum class FindingKind : uint8_t {
  Stall,
  BlockingCall,
  LatentBlocking,
  /// A blocking call made while holding the GIL: every Python thread froze.
  GilHeldBlocking,
  /// Loop time spent waiting for a GIL another thread held.
  GilContention,
  /// Calls that queued for a worker thread of a full pool (PoolSaturation.h).
  PoolSaturation,
};
/// BeforeListen: after the first iteration, before any listen(); startup
/// for a server, running for a process that never listens (ServingPhase.h).
enum class RunPhase : uint8_t { Startup, Running, Shutdown, BeforeListen };

const char *kindName(FindingKind K);

/// What a stall was: the causes a report tells apart.
namespace StallCause {
constexpr const char *PythonCpu = "python-cpu"; // bytecode, sampled
constexpr const char *NativeCpu = "cpu";        // native code, sampled
constexpr const char *BlockingCall = "blocking-call";
constexpr const char *GilHeldBlocking = "gil-held-blocking";
constexpr const char *GilWait = "gil-wait";
constexpr const char *Unknown = "unknown";
} // namespace StallCause
const char *phaseName(RunPhase P);

constexpr unsigned MaxFrames = 48;

/// Raw return addresses, innermost first. Frame 0 is the interrupted
/// instruction itself when FirstIsPc (a sampled stack), else a return address.
struct StackTrace {
  uintptr_t Frames[MaxFrames];
  uint32_t Depth;
  bool FirstIsPc;
};

struct FindingRecord {
  uint64_t Key;
  FindingKind Kind;
  /// What kept a stalled loop busy (StallCause); empty for other kinds.
  const char *Cause;
  RunPhase Phase;
  bool Announced; // its "finding" event line was streamed
  const char *Call;
  int Tid;
  uint32_t Id;
  uint64_t Count;
  uint64_t TotalNs;
  uint64_t MaxNs;
  uint64_t FirstNs; // monotonic
  uint64_t LastNs;
  uint32_t Buckets[DurationBuckets]; // occurrences by duration
  StackTrace Stack;
  PythonStack Python; // Depth 0 outside CPython
  /// The socket's peer ("127.0.0.1:6379", a unix socket's path), or empty.
  char Peer[64];
};

/// A fixed table of findings keyed by kind, phase, call and stack: a storm of
/// identical events costs one stack and a counter. Guarded by a spin lock held
/// for a few hundred nanoseconds; never used from a signal handler.
class FindingTable {
public:
  static constexpr unsigned Capacity = 512;

  /// Adds one occurrence. Returns the finding's id, or -1 when the table is
  /// full. Sets *IsNew when this occurrence created the finding.
  int record(FindingKind Kind, RunPhase Phase, const char *Call, int Tid,
             const StackTrace &Stack, const PythonStack *Python,
             uint64_t DurationNs, uint64_t NowNs, bool *IsNew);
  /// Adds Count occurrences at once (their total and longest duration).
  int recordBatch(FindingKind Kind, RunPhase Phase, const char *Call, int Tid,
                  const StackTrace &Stack, const PythonStack *Python,
                  uint64_t Count, uint64_t TotalNs, uint64_t MaxNs,
                  uint64_t NowNs, bool *IsNew);
  /// Sets the cause of a stall finding.
  void setCause(int Id, const char *Cause);
  /// Adds one occurrence to an existing finding (no stack captured).
  void recordAgain(int Id, uint64_t DurationNs, uint64_t NowNs);
  bool copyStack(int Id, StackTrace &Out, PythonStack &OutPython);
  /// Copies every finding; marks them announced and returns the ids of those
  /// that were not announced yet in NewIds.
  void snapshot(std::vector<FindingRecord> &Out, std::vector<uint32_t> &NewIds);
  void clear();

  /// Token bucket limiting stack captures per second, process-wide, one per
  /// phase: a server's startup imports, a thousand files read, must not use
  /// up the stacks of its first requests. A refusal counts as a suppressed
  /// stack when CountRefusal.
  bool takeStackToken(uint64_t NowNs, RunPhase Phase, bool CountRefusal = true);
  /// The same for Python stacks read on their own (a fast call's, whose
  /// Python call site is new): ten times as many, each far cheaper.
  bool takePythonToken(uint64_t NowNs, RunPhase Phase);
  /// Sets the peer of a finding that has none yet.
  void setPeer(int Id, const char *Peer);

  std::atomic<uint64_t> StacksSuppressed{0};
  std::atomic<uint64_t> Overflowed{0};
  std::atomic<uint64_t> Version{0};

private:
  void lock();
  void unlock() { Busy.store(false, std::memory_order_release); }

  std::atomic<bool> Busy{false};
  unsigned Size = 0;
  FindingRecord Records[Capacity];
  struct TokenBucket {
    std::atomic<uint64_t> RefillNs{0};
    std::atomic<int64_t> Tokens{0};
    bool take(uint64_t NowNs, int64_t PerSecond);
    void clear();
  };
  static constexpr unsigned Phases = 3; // BeforeListen counts as Startup
  static unsigned bucketOf(RunPhase P) {
    return P == RunPhase::BeforeListen ? unsigned(RunPhase::Startup)
                                       : unsigned(P);
  }
  TokenBucket StackTokens[Phases];
  TokenBucket PythonTokens[Phases];
};

extern FindingTable TheFindings;

} // namespace stallhound::probe

#endif
