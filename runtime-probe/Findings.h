//===- Findings.h - Deduplicated stalls and blocking calls ------*- C++ -*-===//

#ifndef STALLHOUND_PROBE_FINDINGS_H
#define STALLHOUND_PROBE_FINDINGS_H

#include "PythonFrames.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace stallhound::probe {

enum class FindingKind : uint8_t { Stall, BlockingCall, LatentBlocking };
enum class RunPhase : uint8_t { Startup, Running, Shutdown };

const char *kindName(FindingKind K);
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
  StackTrace Stack;
  PythonStack Python; // Depth 0 outside CPython
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
  /// Adds one occurrence to an existing finding (no stack captured).
  void recordAgain(int Id, uint64_t DurationNs, uint64_t NowNs);
  bool copyStack(int Id, StackTrace &Out, PythonStack &OutPython);
  /// Copies every finding; marks them announced and returns the ids of those
  /// that were not announced yet in NewIds.
  void snapshot(std::vector<FindingRecord> &Out, std::vector<uint32_t> &NewIds);
  void clear();

  /// Token bucket limiting stack captures per second, process-wide.
  bool takeStackToken(uint64_t NowNs);

  std::atomic<uint64_t> StacksSuppressed{0};
  std::atomic<uint64_t> Overflowed{0};
  std::atomic<uint64_t> Version{0};

private:
  void lock();
  void unlock() { Busy.store(false, std::memory_order_release); }

  std::atomic<bool> Busy{false};
  unsigned Size = 0;
  FindingRecord Records[Capacity];
  std::atomic<uint64_t> TokenRefillNs{0};
  std::atomic<int64_t> Tokens{0};
};

extern FindingTable TheFindings;

} // namespace stallhound::probe

#endif
