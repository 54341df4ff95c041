//===- Merge.cpp - Many static and runtime reports as one -----------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Merge.h"

#include "Baseline.h"
#include "Percentiles.h"

#include <algorithm>
#include <map>
#include <set>

namespace stallhound::report {

namespace {

std::string frameKey(const StackFrame &F) {
  if (!F.Function.empty())
    return plainFunctionName(F.Function);
  std::string Module = F.Module.substr(F.Module.rfind('/') + 1);
  char Offset[24];
  std::snprintf(Offset, sizeof Offset, "+0x%llx",
                static_cast<unsigned long long>(F.Offset));
  return Module + Offset;
}

void addUnique(std::vector<size_t> &To, size_t Value) {
  if (std::find(To.begin(), To.end(), Value) == To.end())
    To.push_back(Value);
}

void addUnique(std::vector<int64_t> &To, int64_t Value) {
  if (std::find(To.begin(), To.end(), Value) == To.end())
    To.push_back(Value);
}

} // namespace

std::string plainFunctionName(const std::string &Name) {
  std::string Out = Name;
  // "(anonymous namespace)" is part of the name, not a parameter list.
  const std::string Anonymous = "(anonymous namespace)";
  size_t From = 0;
  while (true) {
    size_t Paren = Out.find('(', From);
    if (Paren == std::string::npos)
      break;
    if (Out.compare(Paren, Anonymous.size(), Anonymous) == 0) {
      Out.replace(Paren, Anonymous.size(), "(anonymous)");
      From = Paren + 11;
      continue;
    }
    Out.resize(Paren);
    break;
  }
  while (!Out.empty() && Out.back() == ' ')
    Out.pop_back();
  return Out;
}

std::string runtimeKey(const RuntimeFinding &F) {
  std::string Key = F.Kind + "|" + F.Phase + "|" + F.Call + "|" +
                    (F.Handler ? plainFunctionName(F.Handler->Name) : "") + "|";
  for (size_t I = 0; I < F.Stack.size() && I < 16; ++I)
    Key += frameKey(F.Stack[I]) + "<";
  for (const PythonFrame &P : F.PythonStack)
    Key += P.Function + "@" + P.File + "<";
  return Key;
}

Report mergeInputs(ReportInputs Inputs) {
  Report Out;
  std::set<std::string> SeenStatic;
  for (StaticInput &In : Inputs.Static) {
    Out.StaticInputs.push_back(In.Path);
    for (StaticFinding &S : In.Findings) {
      std::string Key = baselineKey(S.F, "") + "@" + S.F.Loc.File + ":" +
                        std::to_string(S.F.Loc.Line) + ":" +
                        std::to_string(S.F.Loc.Column);
      if (SeenStatic.insert(Key).second)
        Out.Static.push_back(std::move(S));
    }
    Out.StaticErrors.insert(Out.StaticErrors.end(), In.Errors.begin(),
                            In.Errors.end());
  }
  std::stable_sort(Out.Static.begin(), Out.Static.end(),
                   [](const StaticFinding &A, const StaticFinding &B) {
                     return A.F.Loc < B.F.Loc;
                   });

  std::map<std::string, size_t> ByKey;
  for (RuntimeInput &In : Inputs.Runtime) {
    Out.RuntimeInputs.push_back(In.Path);
    size_t Process = Out.Processes.size();
    Out.Processes.push_back(In.Process);
    for (LoopInfo &L : In.Loops) {
      L.Process = Process;
      Out.Loops.push_back(std::move(L));
    }
    for (RuntimeFinding &F : In.Findings) {
      F.Processes = {Process};
      auto [It, New] = ByKey.try_emplace(runtimeKey(F), Out.Runtime.size());
      if (New) {
        Out.Runtime.push_back(std::move(F));
        continue;
      }
      RuntimeFinding &M = Out.Runtime[It->second];
      M.Count += F.Count;
      M.TotalMs += F.TotalMs;
      M.MaxMs = std::max(M.MaxMs, F.MaxMs);
      M.FirstAtMs = std::min(M.FirstAtMs, F.FirstAtMs);
      M.LastAtMs = std::max(M.LastAtMs, F.LastAtMs);
      M.Durations.insert(M.Durations.end(), F.Durations.begin(),
                         F.Durations.end());
      addBuckets(M.Histogram, F.Histogram);
      addUnique(M.Processes, Process);
      for (int64_t Tid : F.Tids)
        addUnique(M.Tids, Tid);
      if (M.Severity != "high" && !F.Severity.empty() &&
          (F.Severity == "high" || M.Severity == "low" || M.Severity.empty()))
        M.Severity = F.Severity;
    }
  }
  std::stable_sort(Out.Runtime.begin(), Out.Runtime.end(),
                   [](const RuntimeFinding &A, const RuntimeFinding &B) {
                     return A.TotalMs > B.TotalMs;
                   });
  return Out;
}

} // namespace stallhound::report
