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
}

const Rule &ReportView::rule(const RuntimeFinding &F) const {
  return Rules.runtimeRule(F.Kind);
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
  std::stable_sort(Handlers.begin(), Handlers.end(),
                   [](const HandlerSummary &A, const HandlerSummary &B) {
                     if (A.StallTotalMs != B.StallTotalMs)
                       return A.StallTotalMs > B.StallTotalMs;
                     return A.BlockingTotalMs + A.GilWaitTotalMs >
                            B.BlockingTotalMs + B.GilWaitTotalMs;
                   });
}

} // namespace stallhound::report
