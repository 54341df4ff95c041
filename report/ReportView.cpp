//===- ReportView.cpp - What every output format shows --------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ReportView.h"

#include "Baseline.h"
#include "Merge.h"
#include "SarifWriter.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace stallhound::report {

namespace {

void replaceAll(std::string &Text, const std::string &From,
                const std::string &To) {
  for (size_t Pos = Text.find(From); Pos != std::string::npos;
       Pos = Text.find(From, Pos + To.size()))
    Text.replace(Pos, From.size(), To);
}

} // namespace

std::string formatDuration(double Ms) {
  char Buffer[32];
  if (Ms >= 1000)
    std::snprintf(Buffer, sizeof Buffer, "%.2f s", Ms / 1000);
  else
    std::snprintf(Buffer, sizeof Buffer, "%.1f ms", Ms);
  return Buffer;
}

ReportView::ReportView(const Report &R, RuleCatalog &Rules, const Gate &G,
                       ReportSettings Settings)
    : R(R), Rules(Rules), G(G), Settings(std::move(Settings)) {
  rank();
  summarizeHandlers();
  pairStallsWithCauses();
}

std::optional<size_t> ReportView::causeOf(size_t Stall) const {
  auto It = CauseOf.find(Stall);
  return It == CauseOf.end() ? std::nullopt : std::optional(It->second);
}

std::optional<size_t> ReportView::stallCausedBy(size_t BlockingCall) const {
  auto It = StallOf.find(BlockingCall);
  return It == StallOf.end() ? std::nullopt : std::optional(It->second);
}

/// The probe blames a stall on the blocking call that took at least half of
/// it (cause "blocking-call" or "gil-held-blocking", the call's name as the
/// stall's call) and reports that call as a finding of its own, with the
/// same handler, phase and thread. Each blocking call explains at most one
/// stall; one with the same stack first, else the longest.
void ReportView::pairStallsWithCauses() {
  auto Shares = [](const auto &A, const auto &B) {
    for (const auto &X : A)
      if (std::find(B.begin(), B.end(), X) != B.end())
        return true;
    return false;
  };
  auto SameStack = [](const RuntimeFinding &A, const RuntimeFinding &B) {
    return A.Stack.size() == B.Stack.size() &&
           std::equal(A.Stack.begin(), A.Stack.end(), B.Stack.begin(),
                      [](const StackFrame &X, const StackFrame &Y) {
                        return X.Module == Y.Module && X.Offset == Y.Offset &&
                               X.Function == Y.Function;
                      });
  };
  for (size_t S = 0; S < R.Runtime.size(); ++S) {
    const RuntimeFinding &Stall = R.Runtime[S];
    bool BlamesACall = Stall.Cause.empty()
                           ? Stall.Call != "cpu" && Stall.Call != "unknown" &&
                                 Stall.Call != "gil-wait"
                           : Stall.Cause == "blocking-call" ||
                                 Stall.Cause == "gil-held-blocking";
    if (Stall.Kind != "stall" || !BlamesACall)
      continue;
    std::optional<size_t> Best;
    for (size_t B = 0; B < R.Runtime.size(); ++B) {
      const RuntimeFinding &Call = R.Runtime[B];
      bool KindFits = Stall.Cause.empty() ? Call.Kind == "blocking-call" ||
                                                Call.Kind == "gil-held-blocking"
                                          : Call.Kind == Stall.Cause;
      if (!KindFits || StallOf.count(B) || Call.Call != Stall.Call ||
          Call.Phase != Stall.Phase ||
          handlerName(Call) != handlerName(Stall) ||
          !Shares(Call.Processes, Stall.Processes) ||
          !Shares(Call.Tids, Stall.Tids))
        continue;
      if (!Best) {
        Best = B;
        continue;
      }
      const RuntimeFinding &Other = R.Runtime[*Best];
      bool Same = SameStack(Call, Stall), OtherSame = SameStack(Other, Stall);
      if (Same != OtherSame ? Same : Call.TotalMs > Other.TotalMs)
        Best = B;
    }
    if (Best) {
      CauseOf[S] = *Best;
      StallOf[*Best] = S;
    }
  }
}

const Rule &ReportView::rule(const RuntimeFinding &F) const {
  return Rules.runtimeRule(F.Kind);
}

std::string ReportView::fix(const RuntimeFinding &F) const {
  const Rule &R = rule(F);
  bool Python = F.Handler && F.Handler->Language == "python";
  return Python && !R.PythonFix.empty() ? R.PythonFix : R.Fix;
}

std::string ReportView::handlerName(const RuntimeFinding &F) const {
  if (F.Handler && !F.Handler->Name.empty())
    return plainFunctionName(F.Handler->Name);
  return "";
}

std::string ReportView::message(const RuntimeFinding &F) const {
  std::string Text = rule(F).Message;
  std::string Handler = handlerName(F);
  replaceAll(Text, "{call}", F.Call.empty() ? "unknown" : F.Call);
  replaceAll(Text, "{handler}",
             Handler.empty() ? "(unknown handler)" : Handler);
  replaceAll(Text, "{max}", formatDuration(F.MaxMs));
  replaceAll(Text, "{total}", formatDuration(F.TotalMs));
  replaceAll(Text, "{count}", std::to_string(F.Count));
  replaceAll(Text, "{pool_size}",
             F.PoolSize ? std::to_string(F.PoolSize) : "?");
  replaceAll(Text, "{max_queue}",
             F.PoolMaxQueue ? std::to_string(F.PoolMaxQueue) : "?");
  if (F.Ongoing)
    Text += " (still stalled, " + formatDuration(F.MaxMs) +
            " and counting, when the process was killed)";
  return Text;
}

std::string ReportView::fingerprint(const RuntimeFinding &F) const {
  return sarifFingerprint(RuleCatalog::runtimeRuleId(F.Kind) + "|" +
                          handlerName(F) + "|" + F.Call + "|" + F.Phase);
}

std::string ReportView::fingerprint(const StaticFinding &S) const {
  std::string Root = Settings.SourceRoot;
  while (Root.size() > 1 && Root.back() == '/')
    Root.pop_back();
  return sarifFingerprint(baselineKey(S.F, Root));
}

size_t ReportView::gatingCount() const {
  size_t N = 0;
  for (const StaticFinding &S : R.Static)
    N += gating(S);
  for (const RuntimeFinding &F : R.Runtime)
    N += gating(F);
  return N;
}

size_t ReportView::confirmedCount() const {
  return std::count_if(
      R.Static.begin(), R.Static.end(),
      [](const StaticFinding &S) { return !S.ConfirmedBy.empty(); });
}

void ReportView::rank() {
  for (size_t I = 0; I < R.Runtime.size(); ++I)
    Ranked.push_back({false, I, R.Runtime[I].TotalMs});
  for (size_t I = 0; I < R.Static.size(); ++I) {
    auto Figures = runtimeFigures(R, R.Static[I]);
    Ranked.push_back({true, I, Figures ? Figures->TotalMs : 0});
  }
  auto Level = [&](const RankedFinding &F) {
    return F.IsStatic ? R.Static[F.Index].F.R->Level
                      : runtimeLevel(R.Runtime[F.Index]);
  };
  std::stable_sort(Ranked.begin(), Ranked.end(),
                   [&](const RankedFinding &A, const RankedFinding &B) {
                     if (A.StallMs != B.StallMs)
                       return A.StallMs > B.StallMs;
                     if (A.IsStatic != B.IsStatic)
                       return A.IsStatic; // a confirmed finding first
                     return Level(A) > Level(B);
                   });
}

void ReportView::summarizeHandlers() {
  std::map<std::string, size_t> ByName;
  auto Summary = [&](const std::string &Name) -> HandlerSummary & {
    auto [It, New] = ByName.try_emplace(Name, Handlers.size());
    if (New) {
      Handlers.emplace_back();
      Handlers.back().Name = Name;
    }
    return Handlers[It->second];
  };
  for (size_t I = 0; I < R.Runtime.size(); ++I) {
    const RuntimeFinding &F = R.Runtime[I];
    // Under the coroutine the analyzer names, when the probe's innermost
    // frame is a helper it calls.
    HandlerSummary &H =
        Summary(F.ExplainedBy
                    ? plainFunctionName(R.Static[*F.ExplainedBy].F.HandlerName)
                    : handlerName(F));
    H.Runtime.push_back(I);
    if (F.Handler && H.File.empty() && !F.Handler->File.empty()) {
      H.File = F.Handler->File;
      H.Line = F.Handler->Line;
    }
    if (F.Kind == "stall") {
      H.Stalls += F.Count;
      H.StallTotalMs += F.TotalMs;
      H.StallMaxMs = std::max(H.StallMaxMs, F.MaxMs);
    } else if (F.Kind == "gil-contention") {
      H.GilWaits += F.Count;
      H.GilWaitTotalMs += F.TotalMs;
      H.GilWaitMaxMs = std::max(H.GilWaitMaxMs, F.MaxMs);
    } else if (F.Kind == "pool-saturation") {
      H.QueuedCalls += F.Count;
      H.QueueWaitTotalMs += F.TotalMs;
      H.QueueWaitMaxMs = std::max(H.QueueWaitMaxMs, F.MaxMs);
    } else if (F.Kind != "latent-blocking") {
      H.BlockingCalls += F.Count;
      H.BlockingTotalMs += F.TotalMs;
      H.BlockingMaxMs = std::max(H.BlockingMaxMs, F.MaxMs);
    }
  }
  for (size_t I = 0; I < R.Static.size(); ++I) {
    const Finding &F = R.Static[I].F;
    HandlerSummary &H = Summary(plainFunctionName(F.HandlerName));
    H.Static.push_back(I);
    if (!F.HandlerLoc.File.empty()) {
      H.File = F.HandlerLoc.File; // the declaration, better than a frame
      H.Line = F.HandlerLoc.Line;
    }
  }
  std::stable_sort(
      Handlers.begin(), Handlers.end(),
      [](const HandlerSummary &A, const HandlerSummary &B) {
        if (A.StallTotalMs != B.StallTotalMs)
          return A.StallTotalMs > B.StallTotalMs;
        return A.BlockingTotalMs + A.GilWaitTotalMs + A.QueueWaitTotalMs >
               B.BlockingTotalMs + B.GilWaitTotalMs + B.QueueWaitTotalMs;
      });
}

} // namespace stallhound::report
