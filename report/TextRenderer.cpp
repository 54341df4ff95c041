//===- TextRenderer.cpp - The merged report for people --------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "TextRenderer.h"

#include "Percentiles.h"

#include <algorithm>
#include <map>
#include <set>

namespace stallhound::report {

namespace {

/// Static findings listed one per line before "and N more".
constexpr size_t MaxStaticOnlyLines = 10;
/// Handlers that never stalled and blocked for less than this in total are
/// only counted: fast calls on blocking descriptors, joins at shutdown.
constexpr double MinorBlockingMs = 1.0;

struct Palette {
  bool On;
  std::string wrap(const char *Code, const std::string &Text) const {
    return On ? std::string(Code) + Text + "\033[0m" : Text;
  }
  std::string bold(const std::string &T) const { return wrap("\033[1m", T); }
  std::string red(const std::string &T) const { return wrap("\033[1;31m", T); }
  std::string green(const std::string &T) const { return wrap("\033[32m", T); }
  std::string yellow(const std::string &T) const { return wrap("\033[33m", T); }
  std::string dim(const std::string &T) const { return wrap("\033[2m", T); }
};

std::string plural(uint64_t N, const std::string &One,
                   const std::string &Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many);
}

std::string baseName(const std::string &Path) {
  return Path.substr(Path.rfind('/') + 1);
}

std::string place(const std::string &File, unsigned Line) {
  if (File.empty())
    return "";
  return baseName(File) + (Line ? ":" + std::to_string(Line) : "");
}

std::string where(const SourceLoc &L) {
  return baseName(L.File) + ":" + std::to_string(L.Line) + ":" +
         std::to_string(L.Column);
}

/// "nanosleep x2, cpu x1" for the runtime findings of one kind.
std::string calls(const Report &R, const std::vector<size_t> &Findings,
                  bool Stalls) {
  std::map<std::string, uint64_t> Counts;
  for (size_t I : Findings) {
    const RuntimeFinding &F = R.Runtime[I];
    if ((F.Kind == "stall") == Stalls && F.Kind != "latent-blocking" &&
        F.Kind != "gil-contention" && F.Kind != "pool-saturation")
      Counts[F.Call.empty() ? "unknown" : F.Call] += F.Count;
  }
  std::string Out;
  for (const auto &[Call, Count] : Counts)
    Out += (Out.empty() ? "" : ", ") + Call + " x" + std::to_string(Count);
  return Out;
}

/// "anyio thread limiter (5 threads)" for a pool-saturation finding.
std::string poolName(const RuntimeFinding &F) {
  std::string Name = F.Call == "anyio-limiter"          ? "anyio thread limiter"
                     : F.Call == "thread-pool-executor" ? "ThreadPoolExecutor"
                                                        : F.Call;
  if (F.PoolSize)
    Name += " (" + plural(F.PoolSize, "thread", "threads") + ")";
  return Name;
}

std::string pythonUnknownText(const std::string &What) {
  if (What == "gil-holder")
    return "GIL contention names no holder";
  if (What == "fast-call-endpoints")
    return "fast blocking calls name no endpoint";
  return What + " unknown";
}

void header(std::ostream &OS, const ReportView &View, const Palette &P) {
  const Report &R = View.report();
  uint64_t Stalls = 0;
  double Worst = 0;
  for (const LoopInfo &L : R.Loops) {
    Stalls += L.Stalls;
    Worst = std::max(Worst, L.StallMaxMs);
  }
  OS << P.bold("stallhound report") << ": ";
  if (!R.StaticInputs.empty())
    OS << plural(R.Static.size(), "static finding", "static findings") << " ("
       << View.confirmedCount() << " confirmed at run time)";
  if (!R.StaticInputs.empty() && !R.RuntimeInputs.empty())
    OS << "; ";
  if (!R.RuntimeInputs.empty()) {
    OS << plural(R.Processes.size(), "process", "processes") << ", "
       << plural(R.Loops.size(), "event loop", "event loops") << ", "
       << plural(Stalls, "stall", "stalls");
    if (Stalls)
      OS << ", worst " << P.red(formatDuration(Worst));
  }
  OS << "\n";
  // What the probe could not tell on a CPython, once per version.
  std::set<std::string> Said;
  for (const ProcessInfo &Process : R.Processes)
    for (const auto &[What, Why] : Process.PythonUnknown)
      if (Said.insert(Process.PythonVersion + What).second)
        OS << P.dim("  CPython " + Process.PythonVersion + ": " +
                    pythonUnknownText(What) + " (" + Why + ")")
           << "\n";
  if (View.settings().DroppedBelowMinStall)
    OS << P.dim("  " +
                plural(View.settings().DroppedBelowMinStall, "runtime finding",
                       "runtime findings") +
                " under --min-stall-ms " +
                formatDuration(View.settings().MinStallMs) + " left out")
       << "\n";
}

void handlerBlock(std::ostream &OS, const ReportView &View,
                  const HandlerSummary &H, size_t Rank, const Palette &P) {
  const Report &R = View.report();
  std::string Name = H.Name.empty() ? "(unknown handler)" : H.Name;
  std::string Where = place(H.File, H.Line);
  // Work before the loop first waited, or after it stopped, is labeled.
  std::string Phases;
  for (size_t I : H.Runtime) {
    const std::string &Phase = R.Runtime[I].Phase;
    if (Phase == "running") {
      Phases.clear();
      break;
    }
    if (!Phase.empty() && Phases.find(Phase) == std::string::npos)
      Phases += (Phases.empty() ? "" : ", ") + Phase;
  }
  OS << "  " << Rank << ". " << P.bold(Name)
     << (Phases.empty() ? "" : " (" + Phases + ")")
     << (Where.empty() ? "" : "  " + P.dim(Where)) << "\n";
  if (H.Stalls) {
    std::vector<size_t> StallFindings;
    for (size_t I : H.Runtime)
      if (R.Runtime[I].Kind == "stall")
        StallFindings.push_back(I);
    std::string P99;
    if (StallFindings.size() == 1)
      if (auto V = findingPercentileMs(R.Runtime[StallFindings[0]], 0.99))
        P99 = ", p99 " + formatDuration(*V);
    OS << "     " << plural(H.Stalls, "stall", "stalls") << ", "
       << P.red(formatDuration(H.StallTotalMs)) << " total, max "
       << formatDuration(H.StallMaxMs) << P99 << "  ("
       << calls(R, H.Runtime, true) << ")\n";
  }
  for (size_t I : H.Runtime)
    if (R.Runtime[I].Ongoing)
      OS << "     "
         << P.red("stalled " + formatDuration(R.Runtime[I].MaxMs) +
                  " and counting")
         << " when the process was killed (" << R.Runtime[I].Call << ")\n";
  if (H.BlockingCalls)
    OS << "     " << plural(H.BlockingCalls, "blocking call", "blocking calls")
       << ", " << formatDuration(H.BlockingTotalMs) << " total, max "
       << formatDuration(H.BlockingMaxMs) << "  (" << calls(R, H.Runtime, false)
       << ")\n";
  if (H.GilWaits)
    OS << "     " << plural(H.GilWaits, "loop wait", "loop waits")
       << " for the GIL this code held, " << formatDuration(H.GilWaitTotalMs)
       << " total, max " << formatDuration(H.GilWaitMaxMs) << "\n";
  for (size_t I : H.Runtime) {
    const RuntimeFinding &F = R.Runtime[I];
    if (F.Kind != "pool-saturation")
      continue;
    OS << "     " << plural(F.Count, "call", "calls")
       << " queued for a worker thread: " << poolName(F) << " full, worst wait "
       << P.red(formatDuration(F.MaxMs));
    if (F.PoolMaxQueue)
      OS << ", max queue " << F.PoolMaxQueue;
    OS << ", " << formatDuration(F.TotalMs) << " waited in all\n";
  }
  // Where the time went, when it is a helper of the handler.
  std::set<std::string> HotFunctions;
  for (size_t I : H.Runtime) {
    const auto &Handler = R.Runtime[I].Handler;
    if (Handler && !Handler->HotFunction.empty() &&
        HotFunctions.insert(Handler->HotFunction).second)
      OS << "     hot: " << Handler->HotFunction << "  "
         << P.dim(place(Handler->HotFile, Handler->HotLine)) << "\n";
  }
  uint64_t Latent = 0;
  std::map<std::string, uint64_t> LatentCalls;
  for (size_t I : H.Runtime)
    if (R.Runtime[I].Kind == "latent-blocking") {
      Latent += R.Runtime[I].Count;
      LatentCalls[R.Runtime[I].Call] += R.Runtime[I].Count;
    }
  if (Latent) {
    std::string Calls;
    for (const auto &[Call, Count] : LatentCalls)
      Calls +=
          (Calls.empty() ? "" : ", ") + Call + " x" + std::to_string(Count);
    OS << "     "
       << plural(Latent, "fast call on a blocking descriptor",
                 "fast calls on blocking descriptors")
       << "  (" << Calls << ")\n";
  }
  // The static findings of this handler that runtime confirmed, else why
  // nothing explains what was seen.
  std::string Fix;
  bool Explained = false;
  for (size_t I : H.Static) {
    const StaticFinding &S = R.Static[I];
    if (S.ConfirmedBy.empty())
      continue;
    Explained = true;
    OS << "     " << P.green("confirmed") << " " << where(S.F.Loc) << " ["
       << S.F.RuleId << "] " << S.F.Message << "\n";
    if (Fix.empty())
      Fix = S.F.R->Fix;
  }
  if (!Explained && !H.Runtime.empty()) {
    OS << "     " << P.yellow("no static finding explains it") << "\n";
    Fix = View.fix(R.Runtime[H.Runtime.front()]);
  }
  if (H.Runtime.empty())
    return;
  if (!Fix.empty())
    OS << "     " << P.dim("fix: " + Fix) << "\n";
}

/// What a fast call on a blocking descriptor does, for grouping per handler:
/// "socket I/O to 127.0.0.1:6379", "socket I/O", "pipe or terminal I/O".
std::string latentActivity(const RuntimeFinding &F) {
  static const std::set<std::string> SocketCalls = {
      "accept", "accept4", "connect", "recv",     "recvfrom", "recvmsg",
      "send",   "sendmsg", "sendto",  "recvmmsg", "sendmmsg"};
  if (!F.Peer.empty())
    return "socket I/O to " + F.Peer;
  if (SocketCalls.count(F.Call))
    return "socket I/O";
  if (F.Call == "open")
    return "reads of /proc or /sys";
  static const std::set<std::string> DescriptorCalls = {
      "read", "write", "readv", "writev", "pread64", "pwrite64"};
  if (DescriptorCalls.count(F.Call))
    return "pipe or terminal I/O";
  return "waits (" + F.Call + ")";
}

/// Fast calls on blocking descriptors, one line per handler and what they
/// did: harmless today, each a stall the day the peer is slow.
void latentSection(std::ostream &OS, const ReportView &View, const Palette &P) {
  struct Group {
    std::string Handler, Activity, File;
    unsigned Line = 0;
    uint64_t Count = 0;
    double TotalMs = 0, MaxMs = 0;
  };
  std::map<std::pair<std::string, std::string>, Group> Groups;
  const Report &R = View.report();
  for (const RuntimeFinding &F : R.Runtime) {
    if (F.Kind != "latent-blocking" || F.Phase != "running")
      continue;
    std::string Handler = View.handlerName(F);
    if (Handler.empty())
      continue;
    std::string Activity = latentActivity(F);
    Group &G = Groups[{Handler, Activity}];
    G.Handler = Handler;
    G.Activity = Activity;
    if (G.File.empty() && F.Handler) {
      G.File = F.Handler->File;
      G.Line = F.Handler->Line;
    }
    G.Count += F.Count;
    G.TotalMs += F.TotalMs;
    G.MaxMs = std::max(G.MaxMs, F.MaxMs);
  }
  if (Groups.empty())
    return;
  std::vector<Group> Ordered;
  for (const auto &Entry : Groups)
    Ordered.push_back(Entry.second);
  std::stable_sort(
      Ordered.begin(), Ordered.end(),
      [](const Group &A, const Group &B) { return A.TotalMs > B.TotalMs; });
  OS << "\nFast blocking calls (each one stalls the loop the day its peer is "
        "slow):\n";
  size_t Shown = 0;
  for (const Group &G : Ordered) {
    if (Shown++ == MaxStaticOnlyLines)
      break;
    OS << "  " << P.bold(G.Handler) << " does blocking " << G.Activity << " "
       << plural(G.Count, "time", "times") << ", " << formatDuration(G.TotalMs)
       << " total, worst " << formatDuration(G.MaxMs);
    std::string Where = place(G.File, G.Line);
    OS << (Where.empty() ? "" : "  " + P.dim(Where)) << "\n";
  }
  if (Ordered.size() > MaxStaticOnlyLines)
    OS << P.dim("  and " + std::to_string(Ordered.size() - MaxStaticOnlyLines) +
                " more (--format json lists every finding)")
       << "\n";
}

} // namespace

void renderText(std::ostream &OS, const ReportView &View, bool Color) {
  Palette P{Color};
  const Report &R = View.report();
  header(OS, View, P);

  size_t Rank = 0, Minor = 0;
  for (const HandlerSummary &H : View.handlers()) {
    if (H.Runtime.empty())
      continue;
    if (!H.Stalls && H.BlockingTotalMs < MinorBlockingMs &&
        H.GilWaitTotalMs < MinorBlockingMs &&
        H.QueueWaitTotalMs < MinorBlockingMs) {
      ++Minor;
      continue;
    }
    if (Rank == 0)
      OS << "\nHandlers by stall time:\n";
    handlerBlock(OS, View, H, ++Rank, P);
  }
  if (Minor)
    OS << P.dim("  " + std::string(Rank ? "and " : "") +
                plural(Minor, "handler", "handlers") +
                " with only calls under " + formatDuration(MinorBlockingMs) +
                " (--format json lists them)")
       << "\n";
  latentSection(OS, View, P);

  std::vector<size_t> StaticOnly;
  for (const RankedFinding &F : View.ranked())
    if (F.IsStatic && R.Static[F.Index].ConfirmedBy.empty())
      StaticOnly.push_back(F.Index);
  if (!StaticOnly.empty()) {
    OS << "\n"
       << (R.RuntimeInputs.empty() ? "Static findings"
                                   : "Static findings not seen at run time")
       << " (" << StaticOnly.size() << "):\n";
    for (size_t N = 0; N < StaticOnly.size() && N < MaxStaticOnlyLines; ++N) {
      const Finding &F = R.Static[StaticOnly[N]].F;
      OS << "  " << where(F.Loc) << " " << severityName(F.R->Level) << " ["
         << F.RuleId << "] " << F.Message << "\n";
    }
    if (StaticOnly.size() > MaxStaticOnlyLines)
      OS << P.dim("  and " +
                  std::to_string(StaticOnly.size() - MaxStaticOnlyLines) +
                  " more (--format json lists every finding)")
         << "\n";
  }

  for (const TuError &E : R.StaticErrors) {
    std::string File = E.Loc.File.empty() ? "(no file)" : baseName(E.Loc.File);
    if (E.Loc.Line)
      File = where(E.Loc);
    OS << P.red("error") << ": " << File << ": " << E.Message << "\n";
  }

  const std::vector<std::string> &FailOn = View.settings().FailOn;
  if (!FailOn.empty()) {
    std::string Gates;
    for (const std::string &G : FailOn)
      Gates += (Gates.empty() ? "" : ", ") + G;
    size_t Gating = View.gatingCount();
    OS << "\n--fail-on " << Gates << ": "
       << (Gating ? P.red(plural(Gating, "finding fails", "findings fail") +
                          " the check")
                  : P.green("nothing fails the check"))
       << "\n";
  }
}

} // namespace stallhound::report
