//===- ReportReader.cpp - Static and runtime reports from disk ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ReportReader.h"

#include "Config.h"
#include "JsonText.h"
#include "ReportFile.h"
#include "ReportScanner.h"

#include "llvm/Support/FileSystem.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <unordered_map>

namespace stallhound::report {

namespace {

using nlohmann::json;

/// Typed access to the fields of a value read from a report; a wrong type
/// is an error located at the value.
class Fields {
public:
  explicit Fields(const ReportValue &Doc) : Doc(Doc) {}

  const json &object(const json &Parent, const std::string &Ptr,
                     const char *Key) const {
    const json &V = required(Parent, Ptr, Key);
    if (!V.is_object())
      Doc.fail(Ptr + "/" + Key, std::string("'") + Key + "' must be an object");
    return V;
  }

  const json &array(const json &Parent, const std::string &Ptr,
                    const char *Key) const {
    static const json Empty = json::array();
    auto It = Parent.find(Key);
    if (It == Parent.end() || It->is_null())
      return Empty;
    if (!It->is_array())
      Doc.fail(Ptr + "/" + Key, std::string("'") + Key + "' must be an array");
    return *It;
  }

  /// A string, or "" when absent or null.
  std::string text(const json &Parent, const std::string &Ptr,
                   const char *Key) const {
    auto It = Parent.find(Key);
    if (It == Parent.end() || It->is_null())
      return "";
    if (!It->is_string())
      Doc.fail(Ptr + "/" + Key, std::string("'") + Key + "' must be a string");
    return It->get<std::string>();
  }

  std::string requiredText(const json &Parent, const std::string &Ptr,
                           const char *Key) const {
    required(Parent, Ptr, Key);
    return text(Parent, Ptr, Key);
  }

  /// A finite number, or Default when absent or null.
  double number(const json &Parent, const std::string &Ptr, const char *Key,
                double Default = 0) const {
    auto It = Parent.find(Key);
    if (It == Parent.end() || It->is_null())
      return Default;
    if (!It->is_number() || !std::isfinite(It->get<double>()))
      Doc.fail(Ptr + "/" + Key, std::string("'") + Key + "' must be a number");
    return It->get<double>();
  }

  /// A whole number from 0 to 2^53, or 0 when absent or null.
  uint64_t count(const json &Parent, const std::string &Ptr,
                 const char *Key) const {
    double V = number(Parent, Ptr, Key);
    if (V < 0 || V > 9007199254740992.0 || V != std::floor(V))
      Doc.fail(Ptr + "/" + Key,
               std::string("'") + Key + "' must be a whole number >= 0");
    return static_cast<uint64_t>(V);
  }

  bool flag(const json &Parent, const std::string &Ptr, const char *Key) const {
    auto It = Parent.find(Key);
    if (It == Parent.end() || It->is_null())
      return false;
    if (!It->is_boolean())
      Doc.fail(Ptr + "/" + Key, std::string("'") + Key + "' must be a boolean");
    return It->get<bool>();
  }

  [[noreturn]] void fail(const std::string &Ptr, const std::string &M) const {
    Doc.fail(Ptr, M);
  }

private:
  const ReportValue &Doc;

  const json &required(const json &Parent, const std::string &Ptr,
                       const char *Key) const {
    auto It = Parent.find(Key);
    if (It == Parent.end())
      Doc.fail(Ptr, std::string("missing required key '") + Key + "'");
    return *It;
  }
};

std::string index(const std::string &Ptr, size_t I) {
  return Ptr + "/" + std::to_string(I);
}

SourceLoc sourceLoc(const Fields &F, const json &V, const std::string &Ptr) {
  if (!V.is_object())
    F.fail(Ptr, "expected an object with file, line and column");
  return {F.text(V, Ptr, "file"), unsigned(F.count(V, Ptr, "line")),
          unsigned(F.count(V, Ptr, "column"))};
}

StaticFinding readStaticFinding(const Fields &F, const json &V,
                                const std::string &Ptr, RuleCatalog &Rules) {
  if (!V.is_object())
    F.fail(Ptr, "a finding must be an object");
  StaticFinding S;
  Finding &Out = S.F;
  Out.RuleId = F.requiredText(V, Ptr, "rule");
  S.Category = F.text(V, Ptr, "category");
  std::string Level = F.text(V, Ptr, "severity");
  auto Parsed = parseSeverity(Level.empty() ? "warning" : Level);
  if (!Parsed)
    F.fail(Ptr + "/severity",
           "severity must be \"remark\", \"warning\" or \"error\"");
  Out.Message = F.requiredText(V, Ptr, "message");
  Out.Loc = sourceLoc(F, F.object(V, Ptr, "location"), Ptr + "/location");
  const json &Handler = F.object(V, Ptr, "handler");
  Out.HandlerName = F.requiredText(Handler, Ptr + "/handler", "name");
  Out.HandlerLoc = {F.text(Handler, Ptr + "/handler", "file"),
                    unsigned(F.count(Handler, Ptr + "/handler", "line")), 0};
  Out.R =
      &Rules.staticRule(Out.RuleId, S.Category, *Parsed, F.text(V, Ptr, "fix"),
                        isPythonSource(Out.HandlerLoc.File));
  Out.Call = F.text(V, Ptr, "call");
  Out.Detail = F.text(V, Ptr, "detail");
  const json &Chain = F.array(V, Ptr, "chain");
  Out.Chain.reserve(Chain.size()); // thousands of findings: no slack
  for (size_t I = 0; I < Chain.size(); ++I) {
    std::string StepPtr = index(Ptr + "/chain", I);
    ChainStep Step;
    Step.Loc = sourceLoc(F, Chain[I], StepPtr);
    Step.Function = F.requiredText(Chain[I], StepPtr, "function");
    Step.Callee = F.text(Chain[I], StepPtr, "calls");
    Out.Chain.push_back(std::move(Step));
  }
  if (auto It = V.find("chain_elided"); It != V.end() && !It->is_null()) {
    const json &Elided = F.object(V, Ptr, "chain_elided");
    Out.ElidedAfter = F.count(Elided, Ptr + "/chain_elided", "after");
    Out.ElidedSteps = F.count(Elided, Ptr + "/chain_elided", "steps");
    if (Out.ElidedAfter > Out.Chain.size())
      F.fail(Ptr + "/chain_elided/after", "is past the end of the chain");
  }
  Out.MoreAlso = F.count(V, Ptr, "more_also");
  if (auto It = V.find("related"); It != V.end() && It->is_object()) {
    Out.Related = sourceLoc(F, F.object(*It, Ptr + "/related", "location"),
                            Ptr + "/related/location");
    Out.RelatedNote = F.text(*It, Ptr + "/related", "message");
  }
  const json &Also = F.array(V, Ptr, "also");
  Out.Also.reserve(Also.size());
  for (size_t I = 0; I < Also.size(); ++I) {
    std::string AlsoPtr = index(Ptr + "/also", I);
    AlsoSite A;
    A.Loc = sourceLoc(F, Also[I], AlsoPtr);
    A.Function = F.text(Also[I], AlsoPtr, "function");
    A.Call = F.text(Also[I], AlsoPtr, "call");
    Out.Also.push_back(std::move(A));
  }
  return S;
}

/// log2 buckets [{lt_us, count}] under Parent's "histogram" (none if absent).
std::vector<HistogramBucket> readHistogram(const Fields &F, const json &Parent,
                                           const std::string &Ptr) {
  std::vector<HistogramBucket> Buckets;
  const json &Histogram = F.array(Parent, Ptr, "histogram");
  for (size_t I = 0; I < Histogram.size(); ++I) {
    std::string BucketPtr = index(Ptr + "/histogram", I);
    if (!Histogram[I].is_object())
      F.fail(BucketPtr, "a histogram bucket must be an object");
    Buckets.push_back({F.count(Histogram[I], BucketPtr, "lt_us"),
                       F.count(Histogram[I], BucketPtr, "count")});
  }
  return Buckets;
}

LoopInfo readLoop(const Fields &F, const json &V, const std::string &Ptr) {
  if (!V.is_object())
    F.fail(Ptr, "a loop must be an object");
  LoopInfo L;
  L.Tid = int64_t(F.count(V, Ptr, "tid"));
  L.ThreadName = F.text(V, Ptr, "thread_name");
  L.Wait = F.text(V, Ptr, "wait");
  L.Iterations = F.count(V, Ptr, "iterations");
  const json &Busy = F.object(V, Ptr, "busy");
  std::string BusyPtr = Ptr + "/busy";
  L.BusyTotalMs = F.number(Busy, BusyPtr, "total_ms");
  L.BusyMeanMs = F.number(Busy, BusyPtr, "mean_ms");
  L.BusyMaxMs = F.number(Busy, BusyPtr, "max_ms");
  L.Histogram = readHistogram(F, Busy, BusyPtr);
  const json &Stalls = F.object(V, Ptr, "stalls");
  L.Stalls = F.count(Stalls, Ptr + "/stalls", "count");
  L.StallTotalMs = F.number(Stalls, Ptr + "/stalls", "total_ms");
  L.StallMaxMs = F.number(Stalls, Ptr + "/stalls", "max_ms");
  return L;
}

RuntimeFinding readRuntimeFinding(const Fields &F, const json &V,
                                  const std::string &Ptr) {
  if (!V.is_object())
    F.fail(Ptr, "a finding must be an object");
  RuntimeFinding R;
  R.Kind = F.requiredText(V, Ptr, "kind");
  R.Severity = F.text(V, Ptr, "severity");
  R.Phase = F.text(V, Ptr, "phase");
  R.Call = F.text(V, Ptr, "call");
  R.Peer = F.text(V, Ptr, "peer");
  R.Cause = F.text(V, Ptr, "cause");
  R.Sampled = F.flag(V, Ptr, "sampled");
  R.Count = F.count(V, Ptr, "count");
  R.TotalMs = F.number(V, Ptr, "total_ms");
  R.MaxMs = F.number(V, Ptr, "max_ms");
  R.Histogram = readHistogram(F, V, Ptr);
  if (auto It = V.find("pool"); It != V.end() && !It->is_null()) {
    std::string PoolPtr = Ptr + "/pool";
    if (!It->is_object())
      F.fail(PoolPtr, "'pool' must be an object or null");
    R.PoolSize = F.count(*It, PoolPtr, "size");
    R.PoolMaxQueue = F.count(*It, PoolPtr, "max_queue");
  }
  R.FirstAtMs = F.number(V, Ptr, "first_at_ms");
  R.LastAtMs = F.number(V, Ptr, "last_at_ms");
  R.Tids.push_back(int64_t(F.count(V, Ptr, "tid")));
  if (auto It = V.find("handler"); It != V.end() && !It->is_null()) {
    std::string HPtr = Ptr + "/handler";
    if (!It->is_object())
      F.fail(HPtr, "'handler' must be an object or null");
    RuntimeHandler H;
    H.Name = F.text(*It, HPtr, "name");
    H.Module = F.text(*It, HPtr, "module");
    H.File = F.text(*It, HPtr, "file");
    H.Line = unsigned(F.count(*It, HPtr, "line"));
    H.Language = F.text(*It, HPtr, "language");
    if (auto Hot = It->find("hot_function");
        Hot != It->end() && !Hot->is_null()) {
      std::string HotPtr = HPtr + "/hot_function";
      if (!Hot->is_object())
        F.fail(HotPtr, "'hot_function' must be an object or null");
      H.HotFunction = F.text(*Hot, HotPtr, "name");
      H.HotFile = F.text(*Hot, HotPtr, "file");
      H.HotLine = unsigned(F.count(*Hot, HotPtr, "line"));
    }
    R.Handler = std::move(H);
  }
  const json &Stack = F.array(V, Ptr, "stack");
  R.Stack.reserve(Stack.size());
  for (size_t I = 0; I < Stack.size(); ++I) {
    std::string FPtr = index(Ptr + "/stack", I);
    if (!Stack[I].is_object())
      F.fail(FPtr, "a stack frame must be an object");
    StackFrame Frame;
    Frame.Function = F.text(Stack[I], FPtr, "function");
    Frame.Module = F.text(Stack[I], FPtr, "module");
    Frame.BuildId = F.text(Stack[I], FPtr, "build_id");
    std::string Offset = F.text(Stack[I], FPtr, "offset");
    if (!Offset.empty()) {
      char *End = nullptr;
      Frame.Offset = std::strtoull(Offset.c_str(), &End, 16);
      if (*End)
        F.fail(FPtr + "/offset", "'offset' must be a hexadecimal number");
    }
    Frame.File = F.text(Stack[I], FPtr, "file");
    Frame.Line = unsigned(F.count(Stack[I], FPtr, "line"));
    R.Stack.push_back(std::move(Frame));
  }
  const json &Python = F.array(V, Ptr, "python_stack");
  for (size_t I = 0; I < Python.size(); ++I) {
    std::string PPtr = index(Ptr + "/python_stack", I);
    if (!Python[I].is_object())
      F.fail(PPtr, "a Python frame must be an object");
    R.PythonStack.push_back({F.text(Python[I], PPtr, "function"),
                             F.text(Python[I], PPtr, "file"),
                             unsigned(F.count(Python[I], PPtr, "line"))});
  }
  return R;
}

/// Calls Each with every element of the current member's value, an array
/// (null or absent is an empty one).
void forEachElement(ReportScanner &S, const std::string &Key,
                    const std::function<void(const ReportValue &)> &Each) {
  std::string Ptr = "/" + Key;
  if (S.peekValue() != '[') {
    ReportValue V = S.readValue(Ptr);
    if (!V.json().is_null())
      V.fail(Ptr, "'" + Key + "' must be an array");
    return;
  }
  S.beginArray();
  while (auto Element = S.nextElement(Ptr))
    Each(*Element);
}

/// Checks a member nothing reads (its arrays an element at a time), so that
/// a malformed report is refused whatever part of it is damaged.
void checkMember(ReportScanner &S, const std::string &Key) {
  if (S.peekValue() == '[')
    forEachElement(S, Key, [](const ReportValue &) {});
  else
    S.readValue("/" + Key);
}

void readStatic(ReportScanner &S, StaticInput &In, RuleCatalog &Rules) {
  std::string Key;
  while (S.nextMember(Key)) {
    if (Key == "findings") {
      forEachElement(S, Key, [&](const ReportValue &V) {
        In.Findings.push_back(
            readStaticFinding(Fields(V), V.json(), V.pointer(), Rules));
        In.Findings.back().Input = In.Path;
      });
    } else if (Key == "errors") {
      forEachElement(S, Key, [&](const ReportValue &V) {
        Fields F(V);
        const std::string &Ptr = V.pointer();
        TuError E;
        E.Loc = sourceLoc(F, V.json(), Ptr);
        E.Message = F.text(V.json(), Ptr, "message");
        std::string Kind = F.text(V.json(), Ptr, "kind");
        if (auto Parsed = parseErrorKind(Kind.empty() ? "parse" : Kind))
          E.What = *Parsed;
        else
          F.fail(Ptr + "/kind",
                 "kind must be \"parse\", \"crash\" or \"setup\"");
        In.Errors.push_back(std::move(E));
      });
    } else {
      checkMember(S, Key);
    }
  }
}

void addStreamedFinding(
    RuntimeInput &In,
    std::unordered_map<int64_t, std::vector<size_t>> &FindingsById,
    const std::string &Line, unsigned LineNumber,
    const std::string &StreamPath);
void addOngoingStall(RuntimeInput &In, const std::string &Line,
                     unsigned LineNumber, const std::string &StreamPath);

/// Occurrences from the event stream: every stall (the loop's timeline) and
/// the durations of each finding. A line that is not a JSON object (a
/// stream cut by a full disk) ends the stream. Read a line at a time.
void readEventStream(RuntimeInput &In) {
  std::string StreamPath = eventStreamPath(In.Path);
  struct stat St;
  if (stat(StreamPath.c_str(), &St) != 0)
    return; // no stream (or a dangling link to one): the report alone
  ReportFile Stream(StreamPath);
  for (LoopInfo &L : In.Loops)
    L.HasEventStream = true;
  std::unordered_map<int64_t, std::vector<size_t>> FindingsById;
  for (size_t I = 0; I < In.FindingIds.size(); ++I)
    FindingsById[In.FindingIds[I]].push_back(I);
  std::unordered_map<int64_t, std::vector<double>> DurationsById;
  // The newest open-stall line of each stall no stall line closed.
  std::map<std::pair<int64_t, int64_t>, std::pair<std::string, unsigned>>
      OpenStalls;
  std::set<std::pair<int64_t, int64_t>> Closed;
  bool Exited = false;
  std::string Line;
  unsigned LineNumber = 0;
  while (Stream.readLine(Line)) {
    ++LineNumber;
    json Event = json::parse(Line, nullptr, false);
    if (Event.is_discarded() || !Event.is_object())
      break;
    std::string Kind = Event.value("event", "");
    if (Kind == "finding") {
      addStreamedFinding(In, FindingsById, Line, LineNumber, StreamPath);
      continue;
    }
    if (Kind == "exit")
      Exited = true;
    if (Kind == "open-stall" || Kind == "stall") {
      auto Tid = Event.find("tid"), Iteration = Event.find("iteration");
      if (Tid != Event.end() && Tid->is_number_integer() &&
          Iteration != Event.end() && Iteration->is_number_integer()) {
        auto Key =
            std::make_pair(Tid->get<int64_t>(), Iteration->get<int64_t>());
        if (Kind == "stall")
          Closed.insert(Key);
        else if (!Closed.count(Key))
          OpenStalls[Key] = {Line, LineNumber};
      }
      if (Kind == "open-stall")
        continue;
    }
    if (Kind != "stall" && Kind != "blocking-call" && Kind != "latent-blocking")
      continue;
    // -1 unless a number in [0, 2^53], so that it converts to int64_t.
    auto Number = [&](const char *Key) {
      auto It = Event.find(Key);
      if (It == Event.end() || !It->is_number())
        return -1.0;
      double V = It->get<double>();
      return V >= 0 && V <= 9007199254740992.0 ? V : -1.0;
    };
    double Ms = Number("ms");
    if (Ms < 0)
      continue;
    int64_t FindingId = int64_t(Number("finding"));
    // The finding may be announced after its first occurrences.
    DurationsById[FindingId].push_back(Ms);
    double AtMs = Number("at_ms");
    if (Kind != "stall" || AtMs < 0)
      continue;
    int64_t Tid = int64_t(Number("tid"));
    for (LoopInfo &L : In.Loops)
      if (L.Tid == Tid) {
        auto Call = Event.find("call");
        L.Timeline.push_back({AtMs, Ms,
                              Call != Event.end() && Call->is_string()
                                  ? Call->get<std::string>()
                                  : "",
                              FindingId, ""});
      }
  }
  for (auto &[Id, Durations] : DurationsById)
    if (auto It = FindingsById.find(Id); It != FindingsById.end())
      for (size_t I : It->second)
        In.Findings[I].Durations = Durations;
  if (!Exited)
    for (const auto &[Key, Open] : OpenStalls)
      if (!Closed.count(Key))
        addOngoingStall(In, Open.first, Open.second, StreamPath);
}

/// A finding the stream announced that the report does not have: the
/// process died (SIGKILL, a crash) after it appeared and before the report
/// was next rewritten. A malformed one is left out, like a cut line.
void addStreamedFinding(
    RuntimeInput &In,
    std::unordered_map<int64_t, std::vector<size_t>> &FindingsById,
    const std::string &Line, unsigned LineNumber,
    const std::string &StreamPath) {
  try {
    ReportValue V(Line, {LineNumber, 1}, "", StreamPath);
    const json &Finding = V.json()["finding"];
    Fields F(V);
    int64_t Id = int64_t(F.count(Finding, "/finding", "id"));
    if (FindingsById.count(Id))
      return;
    In.Findings.push_back(readRuntimeFinding(F, Finding, "/finding"));
    // Its occurrences are counted from the stream's lines below.
    In.Findings.back().Count = 0;
    In.Findings.back().TotalMs = 0;
    In.Findings.back().MaxMs = 0;
    In.FindingIds.push_back(Id);
    FindingsById[Id].push_back(In.Findings.size() - 1);
  } catch (const LocatedError &) {
  }
}

/// A stall the process was killed in the middle of, from the newest
/// open-stall line the watchdog streamed about it: one occurrence that had
/// lasted elapsed_ms. A malformed line is left out.
void addOngoingStall(RuntimeInput &In, const std::string &Line,
                     unsigned LineNumber, const std::string &StreamPath) {
  try {
    ReportValue V(Line, {LineNumber, 1}, "", StreamPath);
    const json &Open = V.json();
    Fields F(V);
    double Elapsed = F.number(Open, "", "elapsed_ms");
    json Finding = {
        {"kind", "stall"},
        {"severity", "high"},
        {"phase", Open.value("phase", "running")},
        {"call", Open.value("call", "unknown")},
        {"cause", Open.value("cause", "unknown")},
        {"sampled", Open.value("sampled", false)},
        {"tid", F.count(Open, "", "tid")},
        {"count", 1},
        {"total_ms", Elapsed},
        {"max_ms", Elapsed},
        {"first_at_ms", F.number(Open, "", "since_ms")},
        {"last_at_ms", F.number(Open, "", "at_ms")},
        {"handler", Open.contains("handler") ? Open["handler"] : json(nullptr)},
        {"stack", Open.contains("stack") ? Open["stack"] : json::array()}};
    if (Open.contains("python_stack"))
      Finding["python_stack"] = Open["python_stack"];
    ReportValue Built(Finding.dump(), {LineNumber, 1}, "", StreamPath);
    RuntimeFinding Stall = readRuntimeFinding(Fields(Built), Built.json(), "");
    Stall.Ongoing = true;
    Stall.Durations = {Elapsed};
    In.Findings.push_back(std::move(Stall));
    In.FindingIds.push_back(-1);
  } catch (const LocatedError &) {
  }
}

/// A report is rewritten every second; its stream is written as things
/// happen. A process killed between two rewrites has more in its stream:
/// every stall, and the first and every long occurrence of the other
/// findings. What the stream has is a lower bound of what happened.
void addStreamedOccurrences(RuntimeInput &In) {
  for (RuntimeFinding &F : In.Findings) {
    if (F.Durations.size() <= F.Count)
      continue;
    double Total = 0, Max = 0;
    for (double Ms : F.Durations) {
      Total += Ms;
      Max = std::max(Max, Ms);
    }
    F.Count = F.Durations.size();
    F.TotalMs = std::max(F.TotalMs, Total);
    F.MaxMs = std::max(F.MaxMs, Max);
  }
  for (LoopInfo &L : In.Loops) {
    if (L.Timeline.size() > L.Stalls) {
      double Total = 0, Max = 0;
      for (const StallEvent &E : L.Timeline) {
        Total += E.Ms;
        Max = std::max(Max, E.Ms);
      }
      L.Stalls = L.Timeline.size();
      L.StallTotalMs = std::max(L.StallTotalMs, Total);
      L.StallMaxMs = std::max(L.StallMaxMs, Max);
    }
    // The stall a killed loop was in counts too, as long as it had lasted.
    for (const RuntimeFinding &F : In.Findings)
      if (F.Ongoing && !F.Tids.empty() && F.Tids.front() == L.Tid) {
        ++L.Stalls;
        L.StallTotalMs += F.MaxMs;
        L.StallMaxMs = std::max(L.StallMaxMs, F.MaxMs);
      }
  }
}

void readPython(const Fields &F, const json &V, ProcessInfo &Out) {
  if (V.is_null())
    return;
  if (!V.is_object())
    F.fail("/python", "'python' must be an object or null");
  Out.PythonVersion = F.text(V, "/python", "version");
  auto Unknown = V.find("unknown");
  if (Unknown == V.end())
    return;
  if (!Unknown->is_array())
    F.fail("/python/unknown", "'unknown' must be an array");
  for (size_t I = 0; I < Unknown->size(); ++I) {
    std::string Ptr = "/python/unknown/" + std::to_string(I);
    const json &Item = (*Unknown)[I];
    if (!Item.is_object())
      F.fail(Ptr, "an unknown must be an object");
    Out.PythonUnknown.emplace_back(F.text(Item, Ptr, "what"),
                                   F.text(Item, Ptr, "why"));
  }
}

void readRuntime(ReportScanner &S, RuntimeInput &In) {
  bool HasProcess = false;
  std::string Key;
  while (S.nextMember(Key)) {
    if (Key == "process") {
      ReportValue V = S.readValue("/process");
      Fields F(V);
      if (!V.json().is_object())
        F.fail("/process", "'process' must be an object");
      HasProcess = true;
      In.Process.Pid = int64_t(F.count(V.json(), "/process", "pid"));
      In.Process.Exe = F.text(V.json(), "/process", "exe");
      In.Process.Start = F.text(V.json(), "/process", "start");
      In.Process.End = F.text(V.json(), "/process", "end");
    } else if (Key == "python") {
      ReportValue V = S.readValue("/python");
      readPython(Fields(V), V.json(), In.Process);
    } else if (Key == "settings") {
      ReportValue V = S.readValue("/settings");
      In.Process.ThresholdMs =
          Fields(V).number(V.json(), "/settings", "threshold_ms");
    } else if (Key == "loops") {
      forEachElement(S, Key, [&](const ReportValue &V) {
        In.Loops.push_back(readLoop(Fields(V), V.json(), V.pointer()));
      });
    } else if (Key == "findings") {
      forEachElement(S, Key, [&](const ReportValue &V) {
        Fields F(V);
        In.Findings.push_back(readRuntimeFinding(F, V.json(), V.pointer()));
        In.FindingIds.push_back(int64_t(F.count(V.json(), V.pointer(), "id")));
      });
    } else {
      checkMember(S, Key);
    }
  }
  if (!HasProcess)
    throw LocatedError(In.Path, S.documentPosition(),
                       "missing required key 'process'");
  In.Process.Input = In.Path;
  readEventStream(In);
  addStreamedOccurrences(In);
  nameStallEvents(In);
}

/// What the first reading of a report found in its top-level object: the
/// members that say which report it is (small: read whole).
struct Identity {
  bool IsObject = false;
  std::optional<ReportValue> Probe, Tool, Kind, Version;

  bool namesStallhound() const {
    return Probe || (Tool && Tool->json() == "stallhound");
  }
};

/// The first reading: only the identifying members are parsed; the others
/// (the big arrays) are skipped, their brackets and strings checked.
void identify(ReportFile &File, Identity &Id) {
  ReportScanner S(File);
  Id.IsObject = S.beginDocument();
  if (!Id.IsObject)
    return;
  std::string Key;
  while (S.nextMember(Key)) {
    std::optional<ReportValue> *Slot = Key == "stallhound_probe" ? &Id.Probe
                                       : Key == "tool"           ? &Id.Tool
                                       : Key == "kind"           ? &Id.Kind
                                       : Key == "version"        ? &Id.Version
                                                                 : nullptr;
    if (Slot)
      Slot->emplace(S.readValue("/" + Key));
    else
      S.skipValue();
  }
}

/// Reads File as the report Id says it is.
void readIdentified(ReportFile &File, const Identity &Id, RuleCatalog &Rules,
                    ReportInputs &Inputs) {
  const std::string &Path = File.path();
  auto Fail = [&](const std::optional<ReportValue> &Where,
                  const std::string &Message) {
    if (Where)
      Where->fail(Where->pointer(), Message);
    throw LocatedError(Path, {1, 1}, Message);
  };
  auto Document = [&]() {
    File.rewind();
    auto S = std::make_unique<ReportScanner>(File);
    S->beginDocument();
    return S;
  };
  if (!Id.IsObject) {
    std::unique_ptr<ReportScanner> S = Document();
    throw LocatedError(Path, S->documentPosition(),
                       "not a stallhound report: expected a JSON object");
  }
  if (Id.Probe) {
    if (Id.Probe->json() != 1)
      Fail(Id.Probe,
           "unsupported probe report version (this stallhound reads 1)");
    Inputs.Runtime.emplace_back();
    Inputs.Runtime.back().Path = Path;
    readRuntime(*Document(), Inputs.Runtime.back());
    return;
  }
  auto Is = [](const std::optional<ReportValue> &V, const json &Value) {
    return V && V->json() == Value;
  };
  if (Is(Id.Tool, "stallhound") && Is(Id.Kind, "static")) {
    if (!Is(Id.Version, 1))
      Fail(Id.Version,
           "unsupported static report version (this stallhound reads 1)");
    Inputs.Static.emplace_back();
    Inputs.Static.back().Path = Path;
    readStatic(*Document(), Inputs.Static.back(), Rules);
    return;
  }
  TextPosition Root = Document()->documentPosition();
  if (Is(Id.Tool, "stallhound") && Is(Id.Kind, "report"))
    throw LocatedError(Path, Root,
                       "this is the output of 'stallhound report'; give the "
                       "reports it was made of instead");
  throw LocatedError(Path, Root,
                     "not a stallhound report: expected the output of "
                     "'stallhound check --format json' or a runtime probe "
                     "report (\"stallhound_probe\": 1)");
}

void readReport(ReportFile &File, RuleCatalog &Rules, ReportInputs &Inputs) {
  Identity Id;
  identify(File, Id);
  readIdentified(File, Id, Rules, Inputs);
}

} // namespace

void nameStallEvents(RuntimeInput &In) {
  std::unordered_map<int64_t, const std::string *> Handlers;
  for (size_t I = 0; I < In.FindingIds.size(); ++I)
    if (In.Findings[I].Handler)
      Handlers.emplace(In.FindingIds[I], &In.Findings[I].Handler->Name);
  for (LoopInfo &L : In.Loops)
    for (StallEvent &E : L.Timeline)
      if (auto It = Handlers.find(E.FindingId); It != Handlers.end())
        E.Handler = *It->second;
}

std::string eventStreamPath(const std::string &ReportPath) {
  std::string Base = ReportPath;
  if (Base.size() > 5 && Base.compare(Base.size() - 5, 5, ".json") == 0)
    Base.resize(Base.size() - 5);
  return Base + ".events.ndjson";
}

void readReportFile(const std::string &Path, RuleCatalog &Rules,
                    ReportInputs &Inputs) {
  ReportFile File(Path);
  readReport(File, Rules, Inputs);
}

void readReportDirectory(const std::string &Dir, RuleCatalog &Rules,
                         ReportInputs &Inputs,
                         const std::function<void(const std::string &)> &Note) {
  std::vector<std::string> Entries;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (llvm::StringRef(It->path()).ends_with(".json"))
      Entries.push_back(It->path());
  if (EC)
    throw LocatedError(Dir, {0, 0}, "cannot list directory");
  std::sort(Entries.begin(), Entries.end());
  for (const std::string &Path : Entries) {
    struct stat St;
    if (stat(Path.c_str(), &St) != 0) {
      Note(Path + ": skipped: a dangling symbolic link");
      continue;
    }
    if (!S_ISREG(St.st_mode)) {
      Note(Path + ": skipped: not a regular file");
      continue;
    }
    ReportFile File(Path);
    // Every stallhound report names itself ("stallhound_probe": 1, or
    // "tool": "stallhound"): JSON that does not, or that breaks before it
    // does, is someone else's.
    Identity Id;
    try {
      identify(File, Id);
    } catch (const LocatedError &) {
      if (Id.namesStallhound())
        throw;
    }
    if (!Id.namesStallhound()) {
      Note(Path + ": skipped: not a stallhound report");
      continue;
    }
    readIdentified(File, Id, Rules, Inputs);
  }
}

void readReportText(const std::string &Text, const std::string &Path,
                    RuleCatalog &Rules, ReportInputs &Inputs) {
  ReportFile File(Text, Path);
  readReport(File, Rules, Inputs);
}

} // namespace stallhound::report
