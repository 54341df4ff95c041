//===- ReportModel.h - Static and runtime findings, merged -------*- C++
//-*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What `stallhound report` reads (static reports of `check --format json`,
// runtime reports of the probe), merges, correlates and renders.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_REPORTMODEL_H
#define STALLHOUND_REPORT_REPORTMODEL_H

#include "Facts.h"
#include "Findings.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stallhound::report {

/// A finding of `stallhound check`, with the report it came from.
struct StaticFinding {
  Finding F;
  std::string Category;
  std::string Input;
  /// Filled by correlation: the runtime findings seen in its handler that
  /// it explains (indexes into Report::Runtime).
  std::vector<size_t> ConfirmedBy;
};

struct StackFrame {
  std::string Function; // empty when unknown
  std::string Module;
  std::string BuildId; // hex
  uint64_t Offset = 0;
  std::string File; // empty when unknown
  unsigned Line = 0;
};

struct PythonFrame {
  std::string Function;
  std::string File;
  unsigned Line = 0;
};

struct RuntimeHandler {
  std::string Name; // empty when the probe could not name it
  std::string Module;
  std::string File;
  unsigned Line = 0;
  std::string Language;
  /// The function the time went to when it is not the handler itself (a
  /// helper the endpoint called): "" when the probe named none.
  std::string HotFunction;
  std::string HotFile;
  unsigned HotLine = 0;
};

/// A process a runtime report describes.
struct ProcessInfo {
  int64_t Pid = 0;
  std::string Exe;
  std::string Start; // ISO 8601 as the probe wrote it
  std::string End;   // empty while running or after SIGKILL
  double ThresholdMs = 0;
  std::string Input;
  /// A CPython process: its version ("3.12") and what the probe could not
  /// tell on it ({what, why}).
  std::string PythonVersion;
  std::vector<std::pair<std::string, std::string>> PythonUnknown;
};

/// One occurrence of a stall, from the probe's event stream.
struct StallEvent {
  double AtMs = 0; // since the probe loaded in its process
  double Ms = 0;
  std::string Call;
  int64_t FindingId = -1; // the probe's finding id in that process
  std::string Handler;    // of that finding, when it is named
};

struct HistogramBucket {
  uint64_t LessThanUs = 0;
  uint64_t Count = 0;
};

struct LoopInfo {
  size_t Process = 0; // index into Report::Processes
  int64_t Tid = 0;
  std::string ThreadName;
  std::string Wait;
  uint64_t Iterations = 0;
  double BusyTotalMs = 0, BusyMeanMs = 0, BusyMaxMs = 0;
  std::vector<HistogramBucket> Histogram;
  uint64_t Stalls = 0;
  double StallTotalMs = 0, StallMaxMs = 0;
  /// Every stall of the loop in time order; empty without an event stream.
  std::vector<StallEvent> Timeline;
  bool HasEventStream = false;
};

/// A runtime finding; after merging, the sum over every process that had the
/// same one.
struct RuntimeFinding {
  std::string Kind;     // stall, blocking-call, latent-blocking, ...
  std::string Severity; // the probe's: high, medium, low
  std::string Phase;
  std::string Call;
  /// The socket's peer the call talked to ("127.0.0.1:6379"), or empty.
  std::string Peer;
  /// Stalls: what the probe blamed (blocking-call, gil-held-blocking, cpu,
  /// ...); empty in reports of probes that did not say.
  std::string Cause;
  bool Sampled = false;
  /// A stall still going on when its process was killed (the event stream's
  /// newest open-stall line of it): TotalMs is how long it had lasted.
  bool Ongoing = false;
  uint64_t Count = 0;
  double TotalMs = 0, MaxMs = 0;
  double FirstAtMs = 0, LastAtMs = 0;
  /// Durations of the occurrences the event streams recorded; complete when
  /// their number equals Count.
  std::vector<double> Durations;
  /// The probe's log2 histogram of all occurrences (empty in older reports).
  std::vector<HistogramBucket> Histogram;
  /// pool-saturation: the pool's threads and the longest queue seen while it
  /// was full; 0 for other kinds.
  uint64_t PoolSize = 0;
  uint64_t PoolMaxQueue = 0;
  std::optional<RuntimeHandler> Handler;
  std::vector<StackFrame> Stack; // innermost first
  std::vector<PythonFrame> PythonStack;
  std::vector<size_t> Processes; // indexes into Report::Processes
  std::vector<int64_t> Tids;
  /// Filled by correlation: the static finding that explains it.
  std::optional<size_t> ExplainedBy;
};

/// Everything read from the inputs, merged.
struct Report {
  std::vector<std::string> StaticInputs;
  std::vector<std::string> RuntimeInputs;
  std::vector<StaticFinding> Static;
  std::vector<TuError> StaticErrors;
  std::vector<ProcessInfo> Processes;
  std::vector<LoopInfo> Loops;
  std::vector<RuntimeFinding> Runtime;
};

} // namespace stallhound::report

#endif
