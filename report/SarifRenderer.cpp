//===- SarifRenderer.cpp - The merged report as SARIF 2.1.0 ---------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "SarifRenderer.h"

#include "Percentiles.h"
#include "SarifWriter.h"

#include <cstdio>

namespace stallhound::report {

namespace {

using nlohmann::json;

std::string frameText(const StackFrame &F) {
  char Offset[24];
  std::snprintf(Offset, sizeof Offset, "+0x%llx",
                static_cast<unsigned long long>(F.Offset));
  std::string Module = F.Module.substr(F.Module.rfind('/') + 1);
  return (F.Function.empty() ? "??" : F.Function) + " (" + Module + Offset +
         ")";
}

/// Where a runtime finding is shown: its handler's line, else the innermost
/// frame with a source line, else the module itself.
json runtimeLocation(const SarifLocations &W, const RuntimeFinding &F) {
  if (F.Handler && !F.Handler->File.empty())
    return W.location({F.Handler->File, F.Handler->Line, 0}, "");
  for (const StackFrame &Frame : F.Stack)
    if (!Frame.File.empty())
      return W.location({Frame.File, Frame.Line, 0}, "");
  for (const PythonFrame &P : F.PythonStack)
    if (!P.File.empty())
      return W.location({P.File, P.Line, 0}, "");
  std::string Module = F.Handler && !F.Handler->Module.empty()
                           ? F.Handler->Module
                       : !F.Stack.empty() ? F.Stack.front().Module
                                          : "";
  if (Module.empty())
    Module = "unknown-module";
  return W.location({Module, 0, 0}, "");
}

/// The stack in execution order, outermost frame first.
json stackFlow(const SarifLocations &W, const RuntimeFinding &F,
               const std::string &Handler) {
  json Steps = json::array();
  for (size_t I = F.Stack.size(); I-- > 0;) {
    const StackFrame &Frame = F.Stack[I];
    json Location = {{"message", {{"text", frameText(Frame)}}}};
    if (!Frame.File.empty())
      Location["physicalLocation"] = W.physical({Frame.File, Frame.Line, 0});
    Steps.push_back({{"location", std::move(Location)},
                     {"nestingLevel", F.Stack.size() - 1 - I}});
  }
  return {{"message",
           {{"text", "runtime stack of '" +
                         (Handler.empty() ? std::string("(unknown handler)")
                                          : Handler) +
                         "'"}}},
          {"threadFlows", {{{"locations", std::move(Steps)}}}}};
}

} // namespace

json renderSarif(const ReportView &View) {
  const Report &R = View.report();
  SarifBuilder Builder(View.settings().SourceRoot, View.settings().ToolVersion);
  for (const StaticFinding &S : R.Static)
    Builder.addRule(*S.F.R);
  for (const RuntimeFinding &F : R.Runtime)
    Builder.addRule(View.rule(F));
  const SarifLocations &W = Builder.locations();

  for (const RankedFinding &Ranked : View.ranked()) {
    if (Ranked.IsStatic) {
      const StaticFinding &S = R.Static[Ranked.Index];
      json &Result = Builder.addFinding(S.F);
      json &Properties = Result["properties"];
      Properties["id"] = View.staticId(Ranked.Index);
      Properties["confirmed"] = !S.ConfirmedBy.empty();
      if (auto Figures = runtimeFigures(R, S)) {
        Properties["runtime"] = {{"kind", Figures->Kind},
                                 {"count", Figures->Count},
                                 {"total_ms", Figures->TotalMs},
                                 {"max_ms", Figures->MaxMs}};
        if (Figures->P99Ms)
          Properties["runtime"]["p99_ms"] = *Figures->P99Ms;
        Result["message"]["text"] =
            Result["message"]["text"].get<std::string>() +
            ". Confirmed at run time: " + std::to_string(Figures->Count) +
            " x " + Figures->Kind + ", " + formatDuration(Figures->TotalMs) +
            " total, max " + formatDuration(Figures->MaxMs);
      }
      continue;
    }
    const RuntimeFinding &F = R.Runtime[Ranked.Index];
    const Rule &Rule = View.rule(F);
    std::string Handler = View.handlerName(F);
    std::string Text = View.message(F);
    // A pool-saturation message counts its calls and their waits itself.
    if (F.Count > 1 && F.Kind != "pool-saturation")
      Text += " (" + std::to_string(F.Count) + " times, " +
              formatDuration(F.TotalMs) + " total)";
    if (std::string Fix = View.fix(F); !Fix.empty())
      Text += ". Fix: " + Fix;
    json Result = {
        {"ruleId", Rule.Id},
        {"level", sarifLevel(runtimeLevel(F))},
        {"message", {{"text", Text}}},
        {"locations", {runtimeLocation(W, F)}},
        {"partialFingerprints",
         {{"stallhoundRuntimeKey/v1", View.fingerprint(F)}}},
    };
    if (!F.Stack.empty())
      Result["codeFlows"] = {stackFlow(W, F, Handler)};
    json Properties = {{"id", View.runtimeId(Ranked.Index)},
                       {"kind", F.Kind},
                       {"phase", F.Phase},
                       {"call", F.Call},
                       {"handler", Handler},
                       {"count", F.Count},
                       {"total_ms", F.TotalMs},
                       {"max_ms", F.MaxMs},
                       {"tags", {"event-loop", "runtime"}}};
    if (auto P99 = findingPercentileMs(F, 0.99))
      Properties["p99_ms"] = *P99;
    if (F.PoolSize)
      Properties["pool"] = {{"size", F.PoolSize},
                            {"max_queue", F.PoolMaxQueue}};
    if (F.ExplainedBy) {
      const StaticFinding &S = R.Static[*F.ExplainedBy];
      Properties["explained_by"] = View.staticId(*F.ExplainedBy);
      Result["relatedLocations"] = {W.location(
          S.F.Loc, "explained by [" + S.F.RuleId + "] " + S.F.Message)};
      Result["relatedLocations"][0]["id"] = 0;
    }
    Result["properties"] = std::move(Properties);
    Builder.addResult(std::move(Result));
  }
  for (const TuError &E : R.StaticErrors)
    Builder.addError(E);
  return Builder.build();
}

} // namespace stallhound::report
