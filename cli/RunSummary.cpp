//===- RunSummary.cpp - What stallhound run prints after the command -----===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "RunSummary.h"
#include "CommandSupport.h"

#include "EventStream.h"
#include "Installation.h"
#include "ReportPlacement.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <glob.h>
#include <iostream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace stallhound {

namespace {

constexpr double ShortCallMs = 1.0;
/// Loops beyond these, the least stalled, are summed up in one line.
constexpr size_t LoopsShown = 5;

struct RunOutputs {
  std::vector<std::string> Reports;
  std::vector<std::string> StreamsWithoutReport;
};

bool endsWith(const std::string &Text, const char *Suffix) {
  size_t Size = strlen(Suffix);
  return Text.size() >= Size &&
         Text.compare(Text.size() - Size, Size, Suffix) == 0;
}

/// REPORT.json for REPORT.events.ndjson.
std::string reportOf(const std::string &Stream) {
  return Stream.substr(0, Stream.size() - strlen(".events.ndjson")) + ".json";
}

/// Files written by this run: the pattern with %p as a wildcard, or with the
/// name.PID.json files of other processes; those the output directory
/// refused, in the fallback directories; not the reports made in advance for
/// processes that switched user and then ran no loop.
RunOutputs findOutputs(const std::string &Pattern, time_t Since) {
  std::vector<std::string> Globs;
  std::string Wild;
  bool HasPid = false;
  for (size_t I = 0; I < Pattern.size(); ++I) {
    if (Pattern[I] == '%' && I + 1 < Pattern.size() && Pattern[I + 1] == 'p') {
      Wild += '*';
      HasPid = true;
      ++I;
    } else if (Pattern[I] == '%' && I + 1 < Pattern.size() &&
               Pattern[I + 1] == '%') {
      Wild += '%';
      ++I;
    } else {
      Wild += Pattern[I];
    }
  }
  Globs.push_back(Wild);
  if (!HasPid) {
    size_t Dot = Wild.rfind(".json");
    if (Dot != std::string::npos && Dot + 5 == Wild.size())
      Globs.push_back(Wild.substr(0, Dot) + ".*.json");
    else
      Globs.push_back(Wild + ".*");
  }
  RunOutputs Outputs;
  auto WrittenSince = [&](const std::string &Path) {
    struct stat St;
    return stat(Path.c_str(), &St) == 0 && St.st_mtime >= Since;
  };
  for (const std::string &G : Globs) {
    for (const std::string &Path : globFiles(G)) {
      if (endsWith(Path, ".events.ndjson") || !endsWith(Path, ".json"))
        continue;
      if (WrittenSince(Path) && !isUnusedReport(Path))
        Outputs.Reports.push_back(Path);
    }
    // A process killed before its first summary left its stream alone.
    for (const std::string &Stream : globFiles(eventStreamOf(G))) {
      std::string Report = reportOf(Stream);
      if (access(Report.c_str(), F_OK) != 0 && WrittenSince(Stream))
        Outputs.StreamsWithoutReport.push_back(Stream);
    }
  }
  FallbackOutputs Fallbacks = findFallbackOutputs(Globs, Since);
  for (const std::string &Path : Fallbacks.Reports)
    if (!isUnusedReport(Path))
      Outputs.Reports.push_back(Path);
  Outputs.StreamsWithoutReport.insert(Outputs.StreamsWithoutReport.end(),
                                      Fallbacks.StreamsWithoutReport.begin(),
                                      Fallbacks.StreamsWithoutReport.end());
  for (auto *Paths : {&Outputs.Reports, &Outputs.StreamsWithoutReport}) {
    std::sort(Paths->begin(), Paths->end());
    Paths->erase(std::unique(Paths->begin(), Paths->end()), Paths->end());
  }
  return Outputs;
}

std::string formatMs(double Ms) {
  char Buffer[32];
  snprintf(Buffer, sizeof(Buffer), "%.1f ms", Ms);
  return Buffer;
}

/// The reports of processes that started during this run, not the older
/// ones the output pattern also matches.
std::vector<std::string> startedSince(const std::vector<std::string> &Reports,
                                      uint64_t RunStartMs) {
  std::vector<std::string> Fresh;
  for (const std::string &Path : Reports) {
    std::ifstream In(Path);
    nlohmann::json Report = nlohmann::json::parse(In, nullptr, false);
    if (Report.is_object() && Report["process"].is_object() &&
        Report["process"].value("start_unix_ms", uint64_t(0)) < RunStartMs)
      continue;
    Fresh.push_back(Path); // an unreadable one is named by the summary
  }
  return Fresh;
}

/// Source files and lines come from the modules' debug information, read by
/// the analyzer's symbolizer off the probed process; an installation of the
/// probe alone keeps the addresses, which `stallhound report` resolves.
void addSourceLines(const std::vector<std::string> &Reports) {
  std::string Analyzer = analyzerPath();
  if (Reports.empty() || access(Analyzer.c_str(), X_OK) != 0)
    return;
  std::vector<std::string> Args = {Analyzer, "add-source-lines"};
  Args.insert(Args.end(), Reports.begin(), Reports.end());
  std::vector<char *> Argv;
  for (std::string &A : Args)
    Argv.push_back(A.data());
  Argv.push_back(nullptr);
  pid_t Child = fork();
  if (Child == 0) {
    execv(Argv[0], Argv.data());
    _exit(127);
  }
  int Status;
  while (Child > 0 && waitpid(Child, &Status, 0) < 0 && errno == EINTR) {
  }
}

std::string handlerText(const nlohmann::json &H) {
  std::string Text = "(unknown handler)";
  if (!H.is_object())
    return Text;
  Text = H.value("name", Text);
  if (H.contains("file") && H["file"].is_string()) {
    std::string File = H["file"];
    Text += " (" + File.substr(File.rfind('/') + 1);
    if (H["line"].is_number())
      Text += ":" + std::to_string(H["line"].get<unsigned>());
    Text += ")";
  }
  return Text;
}

/// A stall that was still going on when the process stopped writing, from
/// its newest open-stall line.
void printOpenStalls(const EventStreamSummary &Stream) {
  if (Stream.Exited || Stream.OpenStalls.empty())
    return;
  // No exit line: killed (SIGKILL, a default SIGTERM), unless still alive.
  bool Alive = Stream.Pid > 0 && (kill(Stream.Pid, 0) == 0 || errno == EPERM);
  for (const nlohmann::json &Stall : Stream.OpenStalls) {
    const nlohmann::json &Handler =
        Stall.contains("handler") ? Stall["handler"] : nlohmann::json();
    char Elapsed[32];
    snprintf(Elapsed, sizeof(Elapsed), "%.1f s",
             Stall.value("elapsed_ms", 0.0) / 1000.0);
    std::cerr << "  loop thread " << Stall.value("tid", 0) << " stalled "
              << Elapsed << " and counting in " << handlerText(Handler) << " ("
              << Stall.value("call", "unknown") << "; "
              << (Alive ? "still running" : "killed") << ")\n";
  }
}

/// The loops with the most stall time, then the others in one line.
void printLoops(const nlohmann::json &Report) {
  if (!Report.contains("loops") || !Report["loops"].is_array())
    return;
  std::vector<nlohmann::json> Loops(Report["loops"].begin(),
                                    Report["loops"].end());
  auto StallMs = [](const nlohmann::json &Loop) {
    return Loop["stalls"].value("total_ms", 0.0);
  };
  std::stable_sort(Loops.begin(), Loops.end(),
                   [&](const nlohmann::json &A, const nlohmann::json &B) {
                     return StallMs(A) > StallMs(B);
                   });
  uint64_t MoreIterations = 0;
  uint64_t MoreStalls = 0;
  for (size_t I = 0; I < Loops.size(); ++I) {
    const auto &Loop = Loops[I];
    const auto &Stalls = Loop["stalls"];
    if (I >= LoopsShown) {
      MoreIterations += Loop.value("iterations", uint64_t(0));
      MoreStalls += Stalls.value("count", uint64_t(0));
      continue;
    }
    std::cerr << "  loop thread " << Loop.value("tid", 0) << " ("
              << Loop.value("wait", "?") << "): " << Loop.value("iterations", 0)
              << " iterations, " << Stalls.value("count", 0) << " stalls";
    if (Stalls.value("count", 0) > 0)
      std::cerr << ", worst " << formatMs(Stalls.value("max_ms", 0.0))
                << ", total " << formatMs(Stalls.value("total_ms", 0.0));
    std::cerr << "\n";
  }
  if (Loops.size() > LoopsShown)
    std::cerr << "  and " << Loops.size() - LoopsShown
              << " more loops: " << MoreIterations << " iterations, "
              << MoreStalls << " stalls\n";
  const nlohmann::json &Slots =
      Report.contains("loop_slots") ? Report["loop_slots"] : nlohmann::json();
  if (Slots.is_object() && Slots.value("over_capacity", uint64_t(0)) > 0)
    std::cerr << "  and " << Slots.value("over_capacity", uint64_t(0))
              << " loop threads not tracked: all " << Slots.value("capacity", 0)
              << " loop slots were taken\n";
}

/// Prints one report.
void summarizeReport(const std::string &Path) {
  std::ifstream In(Path);
  nlohmann::json Report = nlohmann::json::parse(In, nullptr, false);
  In.close();
  if (Report.is_discarded() || !Report.is_object()) {
    std::cerr << "stallhound: " << Path << ": unreadable report\n";
    return;
  }
  const auto &Process = Report["process"];
  std::string Exe = Process.value("exe", "");
  std::cerr << "stallhound: " << Path << " (pid " << Process.value("pid", 0)
            << ", " << Exe.substr(Exe.rfind('/') + 1) << ")\n";
  printPlacement(Report, Path);
  printLoops(Report);
  printOpenStalls(readEventStream(eventStreamOf(Path)));
  std::vector<nlohmann::json> Findings(Report["findings"].begin(),
                                       Report["findings"].end());
  auto Rank = [](const nlohmann::json &F) {
    std::string Kind = F.value("kind", "");
    return Kind == "stall"               ? 0
           : Kind == "gil-held-blocking" ? 1
           : Kind == "blocking-call"     ? 2
           : Kind == "gil-contention"    ? 3
                                         : 4;
  };
  std::stable_sort(Findings.begin(), Findings.end(),
                   [&](const nlohmann::json &A, const nlohmann::json &B) {
                     if (Rank(A) != Rank(B))
                       return Rank(A) < Rank(B);
                     return A.value("max_ms", 0.0) > B.value("max_ms", 0.0);
                   });
  if (Findings.empty())
    std::cerr << "  no stalls or blocking calls\n";
  // Calls under a millisecond (a server's file reads at startup) are in the
  // report; the summary is for what a person should look at first.
  unsigned Short = 0;
  for (const auto &F : Findings) {
    if (F.value("kind", "") != "stall" &&
        F.value("max_ms", 0.0) < ShortCallMs &&
        F.value("total_ms", 0.0) < ShortCallMs) {
      ++Short;
      continue;
    }
    std::string Handler =
        handlerText(F.contains("handler") ? F["handler"] : nlohmann::json());
    char Line[256];
    snprintf(Line, sizeof(Line), "  %-17s %-9s %-10s x%-5llu %-18s in ",
             F.value("kind", "").c_str(),
             formatMs(F.value("max_ms", 0.0)).c_str(),
             F.value("phase", "").c_str(),
             static_cast<unsigned long long>(F.value("count", 0ull)),
             F.value("call", "").c_str());
    std::cerr << Line << Handler << "\n";
  }
  if (Short)
    std::cerr << "  and " << Short
              << " more finding(s) under 1 ms each, in the report\n";
}

/// A process that died before its first report: its event stream alone.
void summarizeStream(const std::string &Path) {
  EventStreamSummary Stream = readEventStream(Path);
  if (!Stream.Readable)
    return;
  std::cerr << "stallhound: " << Path << " (pid " << Stream.Pid
            << ", no report: it ended before its first summary)\n";
  printOpenStalls(Stream);
}

} // namespace

void printRunSummary(const std::string &OutputPattern, time_t Started,
                     uint64_t StartedMs) {
  RunOutputs Outputs = findOutputs(OutputPattern, Started - 1);
  if (Outputs.Reports.empty() && Outputs.StreamsWithoutReport.empty())
    std::cerr << "stallhound: no event loop seen (no report written)\n";
  std::cerr.flush();
  std::vector<std::string> Reports = startedSince(Outputs.Reports, StartedMs);
  addSourceLines(Reports);
  for (const std::string &Path : Reports)
    summarizeReport(Path);
  for (const std::string &Path : Outputs.StreamsWithoutReport)
    summarizeStream(Path);
}

std::vector<int> runProcessIds(const std::string &OutputPattern,
                               time_t Started) {
  RunOutputs Outputs = findOutputs(OutputPattern, Started - 1);
  std::vector<std::string> Streams = Outputs.StreamsWithoutReport;
  for (const std::string &Report : Outputs.Reports)
    Streams.push_back(eventStreamOf(Report));
  std::vector<int> Pids;
  for (const std::string &Stream : Streams)
    if (EventStreamSummary S = readEventStream(Stream); S.Pid > 0)
      Pids.push_back(S.Pid);
  return Pids;
}

} // namespace stallhound
