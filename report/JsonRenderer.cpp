//===- JsonRenderer.cpp - The merged report as JSON -----------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "JsonRenderer.h"

#include "FindingPrinter.h"
#include "JsonWriter.h"
#include "Percentiles.h"
#include "SarifWriter.h"

#include <cstdio>
#include <sstream>

namespace stallhound::report {

namespace {

using nlohmann::json;

json optionalNumber(std::optional<double> V) {
  return V ? json(*V) : json(nullptr);
}

json optionalText(const std::string &V) {
  return V.empty() ? json(nullptr) : json(V);
}

json optionalLine(unsigned V) { return V ? json(V) : json(nullptr); }

std::string hexOffset(uint64_t Offset) {
  char Buffer[24];
  std::snprintf(Buffer, sizeof Buffer, "0x%llx",
                static_cast<unsigned long long>(Offset));
  return Buffer;
}

json staticFinding(const ReportView &View, size_t I) {
  const Report &R = View.report();
  const StaticFinding &S = R.Static[I];
  const Finding &F = S.F;
  json Runtime = nullptr;
  if (auto Figures = runtimeFigures(R, S)) {
    json Ids = json::array();
    for (size_t Index : Figures->Findings)
      Ids.push_back(View.runtimeId(Index));
    Runtime = {{"kind", Figures->Kind},
               {"count", Figures->Count},
               {"total_ms", Figures->TotalMs},
               {"max_ms", Figures->MaxMs},
               {"p99_ms", optionalNumber(Figures->P99Ms)},
               {"findings", std::move(Ids)}};
  }
  // As check lists it, with the report's level and its runtime figures.
  json J = findingToJson(F);
  J.erase("severity");
  J["id"] = View.staticId(I);
  J["source"] = "static";
  if (!S.Category.empty())
    J["category"] = S.Category;
  J["level"] = sarifLevel(F.R->Level);
  J["confirmed"] = !S.ConfirmedBy.empty();
  J["runtime"] = std::move(Runtime);
  J["fingerprint"] = View.fingerprint(S);
  J["gating"] = View.gating(S);
  J["input"] = S.Input;
  return J;
}

json runtimeFinding(const ReportView &View, size_t I) {
  const Report &R = View.report();
  const RuntimeFinding &F = R.Runtime[I];
  json Handler = nullptr;
  if (F.Handler)
    Handler = {{"name", optionalText(F.Handler->Name)},
               {"module", optionalText(F.Handler->Module)},
               {"file", optionalText(F.Handler->File)},
               {"line", optionalLine(F.Handler->Line)},
               {"language", optionalText(F.Handler->Language)},
               {"hot_function",
                F.Handler->HotFunction.empty()
                    ? json(nullptr)
                    : json({{"name", F.Handler->HotFunction},
                            {"file", F.Handler->HotFile},
                            {"line", optionalLine(F.Handler->HotLine)}})}};
  json Stack = json::array();
  for (const StackFrame &Frame : F.Stack)
    Stack.push_back({{"function", optionalText(Frame.Function)},
                     {"module", Frame.Module},
                     {"build_id", optionalText(Frame.BuildId)},
                     {"offset", hexOffset(Frame.Offset)},
                     {"file", optionalText(Frame.File)},
                     {"line", optionalLine(Frame.Line)}});
  json Python = json::array();
  for (const PythonFrame &P : F.PythonStack)
    Python.push_back({{"function", P.Function},
                      {"file", P.File},
                      {"line", optionalLine(P.Line)}});
  json Processes = json::array();
  for (size_t P : F.Processes)
    Processes.push_back(
        {{"pid", R.Processes[P].Pid}, {"exe", R.Processes[P].Exe}});
  const Rule &Rule = View.rule(F);
  auto Id = [&](std::optional<size_t> Index) {
    return Index ? json(View.runtimeId(*Index)) : json(nullptr);
  };
  return {{"id", View.runtimeId(I)},
          {"caused_by", Id(View.causeOf(I))},
          {"causes", Id(View.stallCausedBy(I))},
          {"source", "runtime"},
          {"rule", Rule.Id},
          {"kind", F.Kind},
          {"level", sarifLevel(runtimeLevel(F))},
          {"severity", F.Severity},
          {"message", View.message(F)},
          {"phase", F.Phase},
          {"call", F.Call},
          {"peer", F.Peer.empty() ? json(nullptr) : json(F.Peer)},
          {"sampled", F.Sampled},
          {"ongoing", F.Ongoing},
          {"count", F.Count},
          {"total_ms", F.TotalMs},
          {"max_ms", F.MaxMs},
          {"p99_ms", optionalNumber(findingPercentileMs(F, 0.99))},
          {"pool", F.PoolSize ? json{{"size", F.PoolSize},
                                     {"max_queue", F.PoolMaxQueue}}
                              : json(nullptr)},
          {"handler", std::move(Handler)},
          {"stack", std::move(Stack)},
          {"python_stack", std::move(Python)},
          {"processes", std::move(Processes)},
          {"explained_by",
           F.ExplainedBy ? json(View.staticId(*F.ExplainedBy)) : json(nullptr)},
          {"fix", View.fix(F)},
          {"fingerprint", View.fingerprint(F)},
          {"gating", View.gating(F)}};
}

/// A loop without its timeline, which can be long: writeLoop streams it.
json loop(const ReportView &View, const LoopInfo &L) {
  const ProcessInfo &P = View.report().Processes[L.Process];
  json Histogram = json::array();
  for (const HistogramBucket &B : L.Histogram)
    Histogram.push_back({{"lt_us", B.LessThanUs}, {"count", B.Count}});
  return {{"process", L.Process},
          {"pid", P.Pid},
          {"exe", P.Exe},
          {"tid", L.Tid},
          {"thread_name", L.ThreadName},
          {"wait", L.Wait},
          {"iterations", L.Iterations},
          {"busy",
           {{"total_ms", L.BusyTotalMs},
            {"mean_ms", L.BusyMeanMs},
            {"max_ms", L.BusyMaxMs},
            {"p99_ms_at_most", optionalNumber(loopBusyPercentileMs(L, 0.99))},
            {"histogram", std::move(Histogram)}}},
          {"stalls",
           {{"count", L.Stalls},
            {"total_ms", L.StallTotalMs},
            {"max_ms", L.StallMaxMs}}}};
}

void writeLoop(JsonWriter &W, const ReportView &View, const LoopInfo &L) {
  W.object(loop(View, L), {{"timeline", [&] {
                              if (!L.HasEventStream)
                                return W.value(nullptr);
                              W.beginArray();
                              for (const StallEvent &E : L.Timeline)
                                W.value({{"at_ms", E.AtMs},
                                         {"ms", E.Ms},
                                         {"call", E.Call},
                                         {"handler", optionalText(E.Handler)}});
                              W.endArray();
                            }}});
}

json handler(const ReportView &View, const HandlerSummary &H) {
  json Ids = json::array();
  for (size_t I : H.Runtime)
    Ids.push_back(View.runtimeId(I));
  for (size_t I : H.Static)
    Ids.push_back(View.staticId(I));
  return {{"name", optionalText(H.Name)},
          {"file", optionalText(H.File)},
          {"line", optionalLine(H.Line)},
          {"stalls",
           {{"count", H.Stalls},
            {"total_ms", H.StallTotalMs},
            {"max_ms", H.StallMaxMs}}},
          {"blocking_calls",
           {{"count", H.BlockingCalls},
            {"total_ms", H.BlockingTotalMs},
            {"max_ms", H.BlockingMaxMs}}},
          {"gil_contention",
           {{"count", H.GilWaits},
            {"total_ms", H.GilWaitTotalMs},
            {"max_ms", H.GilWaitMaxMs}}},
          {"queued_calls",
           {{"count", H.QueuedCalls},
            {"total_ms", H.QueueWaitTotalMs},
            {"max_ms", H.QueueWaitMaxMs}}},
          {"findings", std::move(Ids)}};
}

} // namespace

void writeJson(std::ostream &OS, const ReportView &View, int Indent) {
  const Report &R = View.report();
  json Processes = json::array();
  for (const ProcessInfo &P : R.Processes) {
    json Python = nullptr;
    if (!P.PythonVersion.empty()) {
      json Unknown = json::array();
      for (const auto &[What, Why] : P.PythonUnknown)
        Unknown.push_back({{"what", What}, {"why", Why}});
      Python = {{"version", P.PythonVersion}, {"unknown", std::move(Unknown)}};
    }
    Processes.push_back({{"pid", P.Pid},
                         {"exe", P.Exe},
                         {"start", optionalText(P.Start)},
                         {"end", optionalText(P.End)},
                         {"threshold_ms", P.ThresholdMs},
                         {"input", P.Input},
                         {"python", std::move(Python)}});
  }
  uint64_t Stalls = 0;
  double StallTotal = 0, WorstStall = 0;
  for (const LoopInfo &L : R.Loops) {
    Stalls += L.Stalls;
    StallTotal += L.StallTotalMs;
    WorstStall = std::max(WorstStall, L.StallMaxMs);
  }
  json Errors = json::array();
  for (const TuError &E : R.StaticErrors)
    Errors.push_back({{"file", E.Loc.File},
                      {"line", E.Loc.Line},
                      {"column", E.Loc.Column},
                      {"message", E.Message}});
  const ReportSettings &S = View.settings();
  json Small = {
      {"tool", "stallhound"},
      {"kind", "report"},
      {"version", 1},
      {"inputs", {{"static", R.StaticInputs}, {"runtime", R.RuntimeInputs}}},
      {"summary",
       {{"static_findings", R.Static.size()},
        {"runtime_findings", R.Runtime.size()},
        {"confirmed", View.confirmedCount()},
        {"processes", R.Processes.size()},
        {"loops", R.Loops.size()},
        {"stalls", Stalls},
        {"stall_total_ms", StallTotal},
        {"worst_stall_ms", WorstStall},
        {"gating", View.gatingCount()},
        {"fail_on", S.FailOn},
        {"min_stall_ms", S.MinStallMs},
        {"below_min_stall", S.DroppedBelowMinStall}}},
      {"processes", std::move(Processes)},
      {"errors", std::move(Errors)}};
  JsonWriter W(OS, Indent);
  W.object(Small, {{"loops",
                    [&] {
                      W.beginArray();
                      for (const LoopInfo &L : R.Loops)
                        writeLoop(W, View, L);
                      W.endArray();
                    }},
                   {"handlers",
                    [&] {
                      W.beginArray();
                      for (const HandlerSummary &H : View.handlers())
                        W.value(handler(View, H));
                      W.endArray();
                    }},
                   {"findings", [&] {
                      W.beginArray();
                      for (const RankedFinding &F : View.ranked())
                        W.value(F.IsStatic ? staticFinding(View, F.Index)
                                           : runtimeFinding(View, F.Index));
                      W.endArray();
                    }}});
}

json renderJson(const ReportView &View) {
  std::ostringstream Text;
  writeJson(Text, View, -1);
  return json::parse(Text.str());
}

} // namespace stallhound::report
