//===- Correlation.cpp - Static findings confirmed at run time ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Correlation.h"

#include "Merge.h"
#include "Percentiles.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace stallhound::report {

namespace {

/// The static categories that describe a call the probe intercepts.
const std::map<std::string, std::set<std::string>> &callCategories() {
  static const std::map<std::string, std::set<std::string>> Table = [] {
    std::map<std::string, std::set<std::string>> T;
    auto Add = [&](std::initializer_list<const char *> Calls,
                   std::set<std::string> Categories) {
      for (const char *Call : Calls)
        T[Call] = Categories;
    };
    Add({"nanosleep", "clock_nanosleep", "usleep", "sleep"}, {"sleep"});
    Add({"read", "write", "pread", "pwrite", "readv", "writev"},
        {"file-io", "socket-io"});
    Add({"open", "openat", "fopen", "fread", "fsync", "fdatasync"},
        {"file-io"});
    Add({"recv", "recvfrom", "recvmsg", "send", "sendto", "sendmsg", "connect",
         "accept", "accept4", "poll", "ppoll", "select", "pselect",
         "epoll_wait", "epoll_pwait", "epoll_pwait2"},
        {"socket-io"});
    Add({"getaddrinfo", "gethostbyname", "gethostbyname2", "gethostbyname_r",
         "gethostbyname2_r"},
        {"dns"});
    Add({"system", "waitpid", "wait4", "popen", "pclose"}, {"process"});
    Add({"pthread_mutex_lock"}, {"lock"});
    Add({"sem_wait", "sem_timedwait"}, {"lock", "thread-sync"});
    Add({"pthread_cond_wait", "pthread_cond_timedwait", "pthread_join"},
        {"thread-sync"});
    Add({"flock"}, {"file-io", "lock"});
    return T;
  }();
  return Table;
}

/// "__read_chk" and "open64" are read and open.
std::string baseCallName(std::string Call) {
  if (Call.rfind("__", 0) == 0)
    Call.erase(0, 2);
  if (Call.size() > 4 && Call.compare(Call.size() - 4, 4, "_chk") == 0)
    Call.resize(Call.size() - 4);
  if (Call.size() > 2 && Call.compare(Call.size() - 2, 2, "64") == 0)
    Call.resize(Call.size() - 2);
  return Call;
}

std::string lastComponents(const std::string &Path, int Count) {
  size_t Pos = Path.size();
  for (int I = 0; I < Count && Pos != std::string::npos && Pos > 0; ++I)
    Pos = Path.rfind('/', Pos - 1);
  return Pos == std::string::npos ? Path : Path.substr(Pos + 1);
}

/// Static findings by the plain name of their handler and by the file of
/// their handler, in order: a lookup per runtime finding, not a scan. Files
/// go by their last two components: the same source file, possibly checked
/// out in another directory.
struct HandlerIndex {
  std::unordered_map<std::string, std::vector<size_t>> ByName, ByFile;
};

HandlerIndex indexHandlers(const Report &R) {
  HandlerIndex Index;
  for (size_t I = 0; I < R.Static.size(); ++I) {
    const Finding &F = R.Static[I].F;
    Index.ByName[plainFunctionName(F.HandlerName)].push_back(I);
    if (!F.HandlerLoc.File.empty())
      Index.ByFile[lastComponents(F.HandlerLoc.File, 2)].push_back(I);
  }
  return Index;
}

/// Static findings whose handler the runtime finding ran in, best match
/// first.
std::vector<size_t> staticCandidates(const Report &R,
                                     const HandlerIndex &Handlers,
                                     const RuntimeFinding &F) {
  std::vector<size_t> Out;
  auto AddByName = [&](const std::string &Name) {
    if (Name.empty())
      return;
    auto It = Handlers.ByName.find(plainFunctionName(Name));
    if (It == Handlers.ByName.end())
      return;
    for (size_t I : It->second)
      if (std::find(Out.begin(), Out.end(), I) == Out.end())
        Out.push_back(I);
  };
  if (F.Handler)
    AddByName(F.Handler->Name);
  for (const StackFrame &Frame : F.Stack)
    AddByName(Frame.Function);
  if (!Out.empty() || !F.Handler || F.Handler->File.empty() ||
      F.Handler->Line == 0)
    return Out;
  auto SameFile = Handlers.ByFile.find(lastComponents(F.Handler->File, 2));
  if (SameFile == Handlers.ByFile.end())
    return Out;
  unsigned Best = 0;
  for (size_t I : SameFile->second)
    if (R.Static[I].F.HandlerLoc.Line <= F.Handler->Line)
      Best = std::max(Best, R.Static[I].F.HandlerLoc.Line);
  for (size_t I : SameFile->second)
    if (Best && R.Static[I].F.HandlerLoc.Line == Best)
      Out.push_back(I);
  return Out;
}

} // namespace

bool categoryFitsCall(const std::string &Category, const std::string &Call) {
  if (Category == "coroutine")
    return false; // a discarded task never blocks by itself
  if (Call == "cpu")
    return Category == "cpu";
  if (Call.empty() || Call == "unknown")
    return true;
  auto It = callCategories().find(baseCallName(Call));
  if (It == callCategories().end())
    return Category != "cpu";
  // declared-blocking ("blocking"), gil-held and teams' own categories
  // describe whatever the function blocks on.
  static const std::set<std::string> Known = {
      "sleep",   "file-io", "socket-io",   "dns",
      "process", "lock",    "thread-sync", "cpu"};
  return It->second.count(Category) || !Known.count(Category);
}

void correlate(Report &R) {
  for (StaticFinding &S : R.Static)
    S.ConfirmedBy.clear();
  HandlerIndex Handlers = indexHandlers(R);
  for (size_t I = 0; I < R.Runtime.size(); ++I) {
    RuntimeFinding &F = R.Runtime[I];
    F.ExplainedBy.reset();
    // Calls that queued for a thread are no call the handler made: no static
    // rule describes them, nor may a neighbour's finding in the same file.
    if (F.Kind == "pool-saturation")
      continue;
    for (size_t Candidate : staticCandidates(R, Handlers, F)) {
      const StaticFinding &S = R.Static[Candidate];
      std::string Category =
          S.Category.empty() && S.F.R ? S.F.R->Category : S.Category;
      if (!categoryFitsCall(Category, F.Call))
        continue;
      F.ExplainedBy = Candidate;
      if (F.Kind != "latent-blocking")
        R.Static[Candidate].ConfirmedBy.push_back(I);
      break;
    }
  }
}

std::optional<RuntimeFigures> runtimeFigures(const Report &R,
                                             const StaticFinding &S) {
  if (S.ConfirmedBy.empty())
    return std::nullopt;
  bool AnyStall =
      std::any_of(S.ConfirmedBy.begin(), S.ConfirmedBy.end(),
                  [&](size_t I) { return R.Runtime[I].Kind == "stall"; });
  RuntimeFigures Out;
  RuntimeFinding Combined;
  for (size_t I : S.ConfirmedBy) {
    const RuntimeFinding &F = R.Runtime[I];
    if ((F.Kind == "stall") != AnyStall)
      continue;
    Out.Kind = F.Kind;
    Out.Count += F.Count;
    Out.TotalMs += F.TotalMs;
    Out.MaxMs = std::max(Out.MaxMs, F.MaxMs);
    Out.Findings.push_back(I);
    Combined.Count += F.Count;
    Combined.MaxMs = std::max(Combined.MaxMs, F.MaxMs);
    Combined.Durations.insert(Combined.Durations.end(), F.Durations.begin(),
                              F.Durations.end());
    addBuckets(Combined.Histogram, F.Histogram);
  }
  Out.P99Ms = findingPercentileMs(Combined, 0.99);
  return Out;
}

} // namespace stallhound::report
