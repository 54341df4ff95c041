//===- ReportView.h - What every output format shows ------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The order, ids, messages and per-handler totals that the text, JSON, SARIF
// and HTML outputs share, so they tell the same story.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_REPORTVIEW_H
#define STALLHOUND_REPORT_REPORTVIEW_H

#include "Correlation.h"
#include "Gating.h"
#include "ReportModel.h"
#include "RuleCatalog.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stallhound::report {

/// A finding of either kind, ranked by the stall time behind it.
struct RankedFinding {
  bool IsStatic = false;
  size_t Index = 0;
  double StallMs = 0; // runtime total, or the confirming runtime total
};

/// Everything known about one handler.
struct HandlerSummary {
  std::string Name; // "" for runtime findings without a handler
  std::string File;
  unsigned Line = 0;
  uint64_t Stalls = 0;
  double StallTotalMs = 0, StallMaxMs = 0;
  uint64_t BlockingCalls = 0;
  double BlockingTotalMs = 0, BlockingMaxMs = 0;
  /// Loop waits for a GIL this handler held (from another thread).
  uint64_t GilWaits = 0;
  double GilWaitTotalMs = 0, GilWaitMaxMs = 0;
  /// Calls of this handler that queued for a worker thread of a full pool.
  uint64_t QueuedCalls = 0;
  double QueueWaitTotalMs = 0, QueueWaitMaxMs = 0;
  std::vector<size_t> Runtime; // indexes, longest first
  std::vector<size_t> Static;
};

struct ReportSettings {
  std::string SourceRoot; // absolute, for SARIF
  std::string ToolVersion;
  double MinStallMs = 0;
  size_t DroppedBelowMinStall = 0;
  std::vector<std::string> FailOn;
};

class ReportView {
public:
  ReportView(const Report &R, RuleCatalog &Rules, const Gate &G,
             ReportSettings Settings);

  const Report &report() const { return R; }
  const ReportSettings &settings() const { return Settings; }

  std::string staticId(size_t I) const { return "S" + std::to_string(I + 1); }
  std::string runtimeId(size_t I) const { return "R" + std::to_string(I + 1); }

  const Rule &rule(const RuntimeFinding &F) const;
  /// The rule's fix for the language of the finding's handler.
  std::string fix(const RuntimeFinding &F) const;
  std::string message(const RuntimeFinding &F) const;
  std::string handlerName(const RuntimeFinding &F) const;
  /// Rule + handler + call (+ phase): no line numbers, pids or addresses.
  std::string fingerprint(const RuntimeFinding &F) const;
  std::string fingerprint(const StaticFinding &S) const;

  bool gating(const StaticFinding &S) const { return G.gates(S); }
  bool gating(const RuntimeFinding &F) const { return G.gates(F); }
  size_t gatingCount() const;
  size_t confirmedCount() const;

  /// Longest stall time first; static findings never seen at run time after
  /// them, errors before warnings before remarks, then by location.
  const std::vector<RankedFinding> &ranked() const { return Ranked; }
  /// Longest total stall time first, then blocking time.
  const std::vector<HandlerSummary> &handlers() const { return Handlers; }

  /// The blocking call that made a stall (runtime indexes), or nothing: the
  /// two are one problem, shown together.
  std::optional<size_t> causeOf(size_t Stall) const;
  /// The stall a blocking call made, or nothing.
  std::optional<size_t> stallCausedBy(size_t BlockingCall) const;

private:
  const Report &R;
  RuleCatalog &Rules;
  const Gate &G;
  ReportSettings Settings;
  std::vector<RankedFinding> Ranked;
  std::vector<HandlerSummary> Handlers;
  std::map<size_t, size_t> CauseOf, StallOf;

  void rank();
  void summarizeHandlers();
  void pairStallsWithCauses();
};

/// "316.2 ms", "1.25 s".
std::string formatDuration(double Ms);

} // namespace stallhound::report

#endif
