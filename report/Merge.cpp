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
  std::string Key = (F.Ongoing ? "ongoing|" : "") + F.Kind + "|" + F.Phase +
                    "|" + F.Call + "|" +
                    (F.Handler ? plainFunctionName(F.Handler->Name) : "") + "|";
  for (size_t I = 0; I < F.Stack.size() && I < 16; ++I)
    Key += frameKey(F.Stack[I]) + "<";
  for (const PythonFrame &P : F.PythonStack)
    Key += P.Function + "@" + P.File + "<";
  return Key;
}

namespace {

/// Sorts V stably by Less through an order of indexes, then moves the
/// elements into place cycle by cycle: no second copy of a large vector.
template <typename T, typename Compare>
void stableSortInPlace(std::vector<T> &V, Compare Less) {
  std::vector<size_t> Order(V.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::stable_sort(Order.begin(), Order.end(),
                   [&](size_t A, size_t B) { return Less(V[A], V[B]); });
  // Position I takes the element at Order[I].
  for (size_t Start = 0; Start < V.size(); ++Start) {
    if (Order[Start] == Start)
      continue;
    T Held = std::move(V[Start]);
    size_t I = Start;
    while (Order[I] != Start) {
      V[I] = std::move(V[Order[I]]);
      size_t Next = Order[I];
      Order[I] = I;
      I = Next;
    }
    V[I] = std::move(Held);
    Order[I] = I;
  }
}

/// Static findings of all inputs in one vector (the first input's own, so
/// that a single large report is not copied), sorted by location; of those
/// with the same location and baseline key, the first read is kept.
void mergeStatic(ReportInputs &Inputs, Report &Out) {
  for (StaticInput &In : Inputs.Static) {
    Out.StaticInputs.push_back(In.Path);
    if (Out.Static.empty()) {
      Out.Static = std::move(In.Findings);
    } else {
      Out.Static.insert(Out.Static.end(),
                        std::make_move_iterator(In.Findings.begin()),
                        std::make_move_iterator(In.Findings.end()));
    }
    In.Findings = {};
    Out.StaticErrors.insert(Out.StaticErrors.end(), In.Errors.begin(),
                            In.Errors.end());
  }
  stableSortInPlace(Out.Static,
                    [](const StaticFinding &A, const StaticFinding &B) {
                      return A.F.Loc < B.F.Loc;
                    });
  size_t Kept = 0;
  std::set<std::string> SeenHere; // keys at the current location
  for (size_t I = 0; I < Out.Static.size(); ++I) {
    if (Kept && Out.Static[Kept - 1].F.Loc < Out.Static[I].F.Loc)
      SeenHere.clear();
    if (!SeenHere.insert(baselineKey(Out.Static[I].F, "")).second)
      continue;
    if (Kept != I)
      Out.Static[Kept] = std::move(Out.Static[I]);
    ++Kept;
  }
  Out.Static.erase(Out.Static.begin() + Kept, Out.Static.end());
}

} // namespace

Report mergeInputs(ReportInputs Inputs) {
  Report Out;
  mergeStatic(Inputs, Out);

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
      M.PoolSize = std::max(M.PoolSize, F.PoolSize);
      M.PoolMaxQueue = std::max(M.PoolMaxQueue, F.PoolMaxQueue);
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
