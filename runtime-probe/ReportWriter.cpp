//===- ReportWriter.cpp - NDJSON event stream and JSON summary ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ReportWriter.h"

#include "Clock.h"
#include "Credentials.h"
#include "LoopSlotsOverflow.h"
#include "LoopTracker.h"
#include "PoolSaturation.h"
#include "ProbeFds.h"
#include "PythonApi.h"
#include "PythonCallSite.h"
#include "PythonHandler.h"
#include "ReportFallback.h"
#include "ServingPhase.h"
#include "Settings.h"
#include "Symbolizer.h"
#include "Watchdog.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace stallhound::probe {

ProcessInfo TheProcess;

namespace {

char ReportPath[2048];
char EventsPath[2048];
std::atomic<int> EventsFd{-1};
std::atomic<bool> SummaryBusy{false};
std::atomic<bool> Ended{false}; // read without SummaryBusy: atomic
bool Published = false; // the report file exists: later writes replace it
// ReportPath's file, opened before a change of user took root's permissions
// away; closed when a rename replaces that file.
std::atomic<int> KeptReportFd{-1};
bool RewriteInPlace = false; // the directory refused a rename: use KeptReportFd
// The report the output directory refused, when the files fell back.
char RefusedReportPath[2048];
int RefusalError = 0;
std::atomic<bool> ComplainedOnce{false};
// A pointer: a forked child gets a fresh one rather than clearing containers
// another thread of the parent may have been changing.
Symbolizer *TheSymbolizer = new Symbolizer;

// Event rate limit: a window of one second.
std::atomic<uint64_t> EventWindowNs{0};
std::atomic<uint32_t> EventsInWindow{0};
std::atomic<uint64_t> EventsDropped{0};
constexpr uint32_t MaxEventsPerSecond = 200;

bool writeAll(int Fd, const char *Data, size_t Size) {
  while (Size) {
    ssize_t N = syscall(SYS_write, Fd, Data, Size);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Data += N;
    Size -= size_t(N);
  }
  return true;
}

void appendEscaped(std::string &Out, const char *Text, size_t Size) {
  Out += '"';
  for (size_t I = 0; I < Size; ++I) {
    unsigned char C = static_cast<unsigned char>(Text[I]);
    if (C == '"' || C == '\\') {
      Out += '\\';
      Out += char(C);
    } else if (C < 0x20) {
      char Escape[8];
      snprintf(Escape, sizeof(Escape), "\\u%04x", C);
      Out += Escape;
    } else {
      Out += char(C);
    }
  }
  Out += '"';
}

void appendString(std::string &Out, const std::string &Text) {
  appendEscaped(Out, Text.data(), Text.size());
}

void appendString(std::string &Out, const char *Text) {
  appendEscaped(Out, Text, strlen(Text));
}

void appendNumber(std::string &Out, double Value) {
  char Buffer[32];
  snprintf(Buffer, sizeof(Buffer), "%.3f", Value);
  Out += Buffer;
}

void appendInteger(std::string &Out, uint64_t Value) {
  Out += std::to_string(Value);
}

void appendHex(std::string &Out, uintptr_t Value) {
  char Buffer[32];
  snprintf(Buffer, sizeof(Buffer), "\"0x%lx\"",
           static_cast<unsigned long>(Value));
  Out += Buffer;
}

/// Expands %p and %% and, when the pattern has no %p, gives every process
/// but the root one its own file (name.PID.json).
void expandPattern(char *Out, size_t Size) {
  const char *Pattern = TheSettings.OutputPattern;
  std::string Path;
  if (Pattern[0] != '/') {
    Path = TheProcess.WorkingDir;
    Path += '/';
  }
  bool HasPid = false;
  for (const char *C = Pattern; *C; ++C) {
    if (C[0] == '%' && C[1] == 'p') {
      Path += std::to_string(TheProcess.Pid);
      HasPid = true;
      ++C;
    } else if (C[0] == '%' && C[1] == '%') {
      Path += '%';
      ++C;
    } else {
      Path += *C;
    }
  }
  bool IsRoot =
      TheProcess.ForkedFrom == 0 &&
      (TheSettings.RootPid == 0 || TheSettings.RootPid == TheProcess.Pid);
  if (!HasPid && !IsRoot) {
    std::string Suffix = ".";
    Suffix += std::to_string(TheProcess.Pid);
    size_t Dot = Path.rfind(".json");
    if (Dot != std::string::npos && Dot + 5 == Path.size())
      Path.insert(Dot, Suffix);
    else
      Path += Suffix;
  }
  snprintf(Out, Size, "%s", Path.c_str());
}

void appendSourceLocation(std::string &Out, const FrameInfo &F) {
  Out += ",\"file\":";
  if (F.File.empty())
    Out += "null";
  else
    appendString(Out, F.File);
  Out += ",\"line\":";
  if (F.Line)
    appendInteger(Out, F.Line);
  else
    Out += "null";
}

void appendFrames(std::string &Out, const StackTrace &Stack,
                  const FrameInfo **Handler, Symbolizer &Names) {
  Out += '[';
  for (uint32_t I = 0; I < Stack.Depth; ++I) {
    bool IsReturn = !(I == 0 && Stack.FirstIsPc);
    const FrameInfo &F = Names.lookup(Stack.Frames[I], IsReturn);
    if (Handler && !*Handler && F.IsOwnCode)
      *Handler = &F;
    if (I)
      Out += ',';
    Out += "{\"function\":";
    if (F.Function.empty())
      Out += "null";
    else
      appendString(Out, F.Function);
    Out += ",\"module\":";
    appendString(Out, F.Module);
    Out += ",\"build_id\":";
    appendString(Out, F.BuildId);
    Out += ",\"offset\":";
    appendHex(Out, F.Offset);
    Out += ",\"address\":";
    appendHex(Out, Stack.Frames[I]);
    appendSourceLocation(Out, F);
    Out += '}';
  }
  Out += ']';
}

/// A wait for another thread with no frame of the program's own code on its
/// stack (native or Python): the runtime waiting for its own threads (V8's
/// garbage-collector helpers, a thread pool shutting down), not something
/// the application called.
bool isRuntimeInternalWait(const FindingRecord &R, bool HasHandler) {
  if (R.Kind != FindingKind::BlockingCall || HasHandler || R.Stack.Depth == 0)
    return false;
  for (const char *Wait :
       {"pthread_mutex_lock", "pthread_cond_wait", "pthread_cond_timedwait",
        "pthread_join", "sem_wait", "sem_timedwait"})
    if (strcmp(R.Call, Wait) == 0)
      return true;
  return false;
}

const char *severityOf(const FindingRecord &R, bool RuntimeInternal) {
  if (R.Kind == FindingKind::LatentBlocking || RuntimeInternal)
    return "low";
  // A queue wait delays one request, not the loop: high from ten thresholds.
  if (R.Kind == FindingKind::PoolSaturation)
    return R.MaxNs >= 10 * TheSettings.ThresholdNs ? "high" : "medium";
  if (R.Kind == FindingKind::Stall || R.Kind == FindingKind::GilHeldBlocking ||
      R.MaxNs >= TheSettings.ThresholdNs ||
      (R.Kind == FindingKind::GilContention &&
       R.TotalNs >= TheSettings.ThresholdNs))
    return "high";
  return "medium";
}

/// At the end, calls made after the loop's last wait returned happened after
/// the loop stopped (joins, cleanup): they belong to shutdown.
RunPhase displayedPhase(const FindingRecord &R, bool Final) {
  RunPhase Phase = R.Phase;
  if (Phase == RunPhase::BeforeListen)
    Phase = firstListenTicks() ? RunPhase::Startup : RunPhase::Running;
  if (!Final || R.Kind == FindingKind::Stall)
    return Phase;
  for (const LoopSlot &S : LoopSlots) {
    if (S.Tid.load() != R.Tid || !S.Confirmed.load())
      continue;
    if (S.Phase.load() != PhaseIdle &&
        R.FirstNs >= ticksToMonotonicNs(S.BusySinceTicks.load()))
      return RunPhase::Shutdown;
  }
  return Phase;
}

void appendPythonStack(std::string &Out, const PythonStack &Python) {
  Out += '[';
  for (uint32_t I = 0; I < Python.Depth; ++I) {
    const PythonFrame &F = Python.Frames[I];
    if (I)
      Out += ',';
    Out += "{\"function\":";
    appendString(Out, F.Function);
    Out += ",\"file\":";
    appendString(Out, F.File);
    Out += ",\"line\":";
    appendInteger(Out, F.Line);
    Out += ",\"def_line\":";
    appendInteger(Out, F.FirstLine);
    Out += ",\"coroutine\":";
    Out += F.IsCoroutine ? "true" : "false";
    Out += '}';
  }
  Out += ']';
}

/// Non-empty log2 buckets as [{lt_us, count}] (DurationBuckets.h).
template <typename CountFn>
void appendHistogram(std::string &Out, CountFn CountOf) {
  Out += '[';
  bool First = true;
  for (unsigned I = 0; I < DurationBuckets; ++I) {
    uint64_t Count = CountOf(I);
    if (!Count)
      continue;
    if (!First)
      Out += ',';
    First = false;
    Out += "{\"lt_us\":";
    appendInteger(Out, bucketLimitUs(I));
    Out += ",\"count\":";
    appendInteger(Out, Count);
    Out += '}';
  }
  Out += ']';
}

/// The 99th percentile's upper bound: the limit of the bucket that holds it,
/// never above the exact maximum.
double p99Ms(const FindingRecord &R) {
  uint64_t Seen = 0;
  for (unsigned I = 0; I < DurationBuckets; ++I) {
    Seen += R.Buckets[I];
    if (Seen * 100 >= R.Count * 99) {
      double LimitMs = double(bucketLimitUs(I)) / 1000.0;
      double MaxMs = nsToMs(R.MaxNs);
      return LimitMs < MaxMs ? LimitMs : MaxMs;
    }
  }
  return nsToMs(R.MaxNs);
}

/// The handler object: Python's when there are Python frames, else the
/// innermost native frame of the program's own code, else null.
void appendHandler(std::string &Out, const PythonFrame *PyHandler,
                   const FrameInfo *Handler, bool HeldByOtherThread,
                   const PythonFrame *Hot = nullptr) {
  if (PyHandler) {
    Out += "{\"name\":";
    appendString(Out, PyHandler->Function);
    Out += ",\"module\":null,\"file\":";
    appendString(Out, PyHandler->File);
    Out += ",\"line\":";
    appendInteger(Out, PyHandler->Line);
    Out += ",\"def_line\":";
    appendInteger(Out, PyHandler->FirstLine);
    Out += ",\"language\":\"python\"";
    if (HeldByOtherThread)
      Out += ",\"thread\":\"gil-holder\"";
    if (Hot) {
      Out += ",\"hot_function\":{\"name\":";
      appendString(Out, Hot->Function);
      Out += ",\"file\":";
      appendString(Out, Hot->File);
      Out += ",\"line\":";
      appendInteger(Out, Hot->Line);
      Out += '}';
    }
    Out += '}';
  } else if (Handler) {
    Out += "{\"name\":";
    appendString(Out, Handler->Function);
    Out += ",\"module\":";
    appendString(Out, Handler->Module);
    appendSourceLocation(Out, *Handler);
    Out += ",\"language\":";
    appendString(Out, Handler->Language);
    Out += '}';
  } else {
    Out += "null";
  }
}

void appendFinding(std::string &Out, const FindingRecord &R, bool Final) {
  std::string Stack;
  const FrameInfo *Handler = nullptr;
  appendFrames(Stack, R.Stack, &Handler, *TheSymbolizer);
  const PythonFrame *Hot = nullptr;
  const PythonFrame *PyHandler = pythonHandler(R.Python, &Hot);
  Out += "{\"id\":";
  appendInteger(Out, R.Id);
  Out += ",\"kind\":";
  appendString(Out, kindName(R.Kind));
  bool RuntimeInternal = isRuntimeInternalWait(R, Handler || PyHandler);
  Out += ",\"severity\":";
  appendString(Out, severityOf(R, RuntimeInternal));
  if (RuntimeInternal)
    Out += ",\"origin\":\"runtime\"";
  Out += ",\"phase\":";
  appendString(Out, phaseName(displayedPhase(R, Final)));
  Out += ",\"call\":";
  appendString(Out, R.Call);
  if (R.Peer[0]) {
    Out += ",\"peer\":";
    appendString(Out, R.Peer);
  }
  if (R.Kind == FindingKind::Stall) {
    Out += ",\"cause\":";
    appendString(Out, R.Cause && *R.Cause ? R.Cause : StallCause::Unknown);
  }
  // A sampled stack starts at the interrupted instruction; other frames are
  // return addresses (symbolize ADDRESS - 1).
  Out += ",\"sampled\":";
  Out += R.Stack.FirstIsPc ? "true" : "false";
  Out += ",\"tid\":";
  appendInteger(Out, uint64_t(R.Tid));
  Out += ",\"count\":";
  appendInteger(Out, R.Count);
  Out += ",\"total_ms\":";
  appendNumber(Out, nsToMs(R.TotalNs));
  Out += ",\"max_ms\":";
  appendNumber(Out, nsToMs(R.MaxNs));
  Out += ",\"p99_ms\":";
  appendNumber(Out, p99Ms(R));
  Out += ",\"histogram\":";
  appendHistogram(Out, [&](unsigned I) { return uint64_t(R.Buckets[I]); });
  Out += ",\"first_at_ms\":";
  appendNumber(Out, nsToMs(R.FirstNs - TheProcess.StartMonoNs));
  Out += ",\"last_at_ms\":";
  appendNumber(Out, nsToMs(R.LastNs - TheProcess.StartMonoNs));
  Out += ",\"handler\":";
  // GIL contention blames the thread that held the GIL, not the loop.
  appendHandler(Out, PyHandler, Handler, R.Kind == FindingKind::GilContention,
                Hot);
  Out += ",\"stack\":";
  Out += Stack;
  if (R.Python.Depth) {
    Out += ",\"python_stack\":";
    appendPythonStack(Out, R.Python);
  }
  if (R.Python.Task[0]) {
    Out += ",\"task\":";
    appendString(Out, R.Python.Task);
  }
  PoolFigures Pool;
  if (R.Kind == FindingKind::PoolSaturation && poolFiguresOf(R.Id, Pool)) {
    Out += ",\"pool\":{\"size\":";
    appendInteger(Out, Pool.Size);
    Out += ",\"max_queue\":";
    appendInteger(Out, Pool.MaxQueue);
    Out += '}';
  }
  Out += '}';
}

void appendLoop(std::string &Out, const LoopStats &S) {
  Out += "{\"tid\":";
  appendInteger(Out, uint64_t(S.Tid));
  Out += ",\"thread_name\":";
  appendString(Out, S.ThreadName);
  Out += ",\"wait\":";
  appendString(Out, S.WaitName ? S.WaitName : "?");
  Out += ",\"iterations\":";
  appendInteger(Out, S.Iterations);
  Out += ",\"busy\":{\"total_ms\":";
  appendNumber(Out, nsToMs(S.BusyTotalNs));
  Out += ",\"mean_ms\":";
  appendNumber(Out,
               S.Iterations ? nsToMs(S.BusyTotalNs) / double(S.Iterations) : 0);
  Out += ",\"max_ms\":";
  appendNumber(Out, nsToMs(S.BusyMaxNs));
  Out += ",\"histogram\":";
  appendHistogram(Out, [&](unsigned I) { return S.Buckets[I]; });
  Out += "},\"stalls\":{\"count\":";
  appendInteger(Out, S.Stalls);
  Out += ",\"total_ms\":";
  appendNumber(Out, nsToMs(S.StallTotalNs));
  Out += ",\"max_ms\":";
  appendNumber(Out, nsToMs(S.StallMaxNs));
  Out += "},\"samples\":";
  appendInteger(Out, S.Samples);
  if (S.GilWaits) {
    Out += ",\"gil_waits\":{\"count\":";
    appendInteger(Out, S.GilWaits);
    Out += ",\"total_ms\":";
    appendNumber(Out, nsToMs(S.GilWaitTotalNs));
    Out += ",\"max_ms\":";
    appendNumber(Out, nsToMs(S.GilWaitMaxNs));
    Out += '}';
  }
  Out += '}';
}

/// Live loops in slot order, then the ended ones in the order they ended.
void appendLoops(std::string &Out) {
  Out += '[';
  bool First = true;
  auto Append = [&](const LoopStats &Stats) {
    if (!First)
      Out += ',';
    First = false;
    appendLoop(Out, Stats);
  };
  LoopStats Stats;
  for (const LoopSlot &S : LoopSlots) {
    if (!S.Tid.load() || !S.Confirmed.load())
      continue;
    copyLoopStats(S, Stats);
    Append(Stats);
  }
  uint64_t Ended = EndedLoopCount.load();
  for (uint64_t I = 0; I < Ended && I < MaxEndedLoops; ++I)
    if (EndedLoops[I].Ready.load(std::memory_order_acquire))
      Append(EndedLoops[I].Stats);
  Out += ']';
}

/// The slots' capacity and what did not fit: loop threads that found every
/// slot taken, and ended loops past the listed ones.
void appendLoopSlots(std::string &Out) {
  Out += "{\"capacity\":";
  appendInteger(Out, MaxLoopSlots);
  Out += ",\"over_capacity\":";
  uint64_t Over = LoopsOverCapacity.load();
  appendInteger(Out, Over);
  Out += ",\"over_capacity_threads\":[";
  bool First = true;
  for (uint64_t I = 0; I < Over && I < MaxUntrackedListed; ++I) {
    const UntrackedLoop &Loop = UntrackedLoops[I];
    if (!Loop.Ready.load(std::memory_order_acquire))
      continue;
    if (!First)
      Out += ',';
    First = false;
    Out += "{\"tid\":";
    appendInteger(Out, uint64_t(Loop.Tid));
    Out += ",\"thread_name\":";
    char Name[sizeof(Loop.ThreadName)];
    memcpy(Name, Loop.ThreadName, sizeof(Name));
    Name[sizeof(Name) - 1] = '\0';
    appendString(Out, Name);
    Out += '}';
  }
  Out += "],\"ended_unlisted\":";
  uint64_t Ended = EndedLoopCount.load();
  appendInteger(Out, Ended > MaxEndedLoops ? Ended - MaxEndedLoops : 0);
  Out += '}';
}

/// The latest change of user, and the report the output directory refused
/// when this one is in the fallback directory.
void appendPlacement(std::string &Out) {
  Out += ",\"credentials_changed\":";
  if (TheCredentialChange.Changed.load()) {
    Out += "{\"uid\":";
    appendInteger(Out, TheCredentialChange.Uid.load());
    Out += ",\"gid\":";
    appendInteger(Out, TheCredentialChange.Gid.load());
    Out += ",\"at_ms\":";
    appendNumber(
        Out, nsToMs(TheCredentialChange.AtNs.load() - TheProcess.StartMonoNs));
    Out += '}';
  } else {
    Out += "null";
  }
  Out += ",\"report_fallback\":";
  if (RefusedReportPath[0]) {
    Out += "{\"wanted\":";
    appendString(Out, RefusedReportPath);
    Out += ",\"error\":";
    appendString(Out, strerror(RefusalError));
    Out += ",\"uid\":";
    appendInteger(Out, uint64_t(geteuid()));
    Out += '}';
  } else {
    Out += "null";
  }
}

void appendProcess(std::string &Out, uint64_t EndWallNs) {
  char Time[48];
  Out += "{\"pid\":";
  appendInteger(Out, uint64_t(TheProcess.Pid));
  Out += ",\"forked_from\":";
  if (TheProcess.ForkedFrom)
    appendInteger(Out, uint64_t(TheProcess.ForkedFrom));
  else
    Out += "null";
  Out += ",\"exe\":";
  appendString(Out, TheProcess.Exe);
  Out += ",\"argv\":[";
  unsigned Start = 0;
  bool First = true;
  for (unsigned I = 0; I < TheProcess.ArgvSize; ++I) {
    if (TheProcess.Argv[I])
      continue;
    if (!First)
      Out += ',';
    First = false;
    appendEscaped(Out, TheProcess.Argv + Start, I - Start);
    Start = I + 1;
  }
  Out += "],\"start_unix_ms\":";
  appendInteger(Out, TheProcess.StartWallNs / 1000000u);
  Out += ",\"start\":";
  formatIsoTime(TheProcess.StartWallNs, Time, sizeof(Time));
  appendString(Out, Time);
  Out += ",\"end\":";
  if (EndWallNs) {
    formatIsoTime(EndWallNs, Time, sizeof(Time));
    appendString(Out, Time);
  } else {
    Out += "null";
  }
  Out += ",\"updated\":";
  formatIsoTime(wallNs(), Time, sizeof(Time));
  appendString(Out, Time);
  appendPlacement(Out);
  Out += '}';
}

void appendSettings(std::string &Out) {
  Out += "{\"output\":";
  appendString(Out, TheSettings.OutputPattern);
  Out += ",\"threshold_ms\":";
  appendNumber(Out, nsToMs(TheSettings.ThresholdNs));
  Out += ",\"blocking_ms\":";
  appendNumber(Out, nsToMs(TheSettings.BlockingNs));
  Out += ",\"sample\":";
  Out += TheSettings.Sample ? "true" : "false";
  Out += ",\"flush_ms\":";
  appendNumber(Out, nsToMs(TheSettings.FlushNs));
  Out += ",\"stacks_per_sec\":";
  appendInteger(Out, TheSettings.StacksPerSecond);
  Out += ",\"latent\":";
  Out += TheSettings.ReportLatent ? "true" : "false";
  Out += ",\"clock\":";
  Out += TheLoopClock.UseTsc ? "\"tsc\"" : "\"monotonic\"";
  Out += '}';
}

void complain(const char *Format, const char *A, const char *B = "") {
  char Line[4400];
  int Size = snprintf(Line, sizeof(Line), Format, A, B);
  if (Size > 0)
    writeAll(2, Line,
             size_t(Size) < sizeof(Line) ? size_t(Size) : sizeof(Line) - 1);
}

/// PATH for N = 0, else PATH with ".N" before its ".json".
std::string numberedPath(const std::string &Path, unsigned N) {
  if (!N)
    return Path;
  std::string Suffix(1, '.');
  Suffix += std::to_string(N);
  size_t Dot = Path.rfind(".json");
  if (Dot != std::string::npos && Dot + 5 == Path.size())
    return Path.substr(0, Dot) + Suffix + ".json";
  return Path + Suffix;
}

std::string eventsPathOf(std::string Report) {
  size_t Dot = Report.rfind(".json");
  if (Dot != std::string::npos && Dot + 5 == Report.size())
    Report.erase(Dot);
  return Report + ".events.ndjson";
}

/// Anything at Path, a dangling symlink included, makes it taken. An lstat
/// error (a missing directory) is left for open to report.
bool isTaken(const std::string &Path) {
  struct stat St;
  return lstat(Path.c_str(), &St) == 0;
}

/// What claimReportPaths got: the event stream, and the report when asked
/// for; or, for a file it could not create, the error and both names.
struct Claim {
  int EventsFd = -1;
  int ReportFd = -1;
  int Error = 0; // 0 with no fd: every name was taken (already said)
  std::string FailedPath;
  std::string FailedReport;
};

/// Creates Path with O_EXCL, never following a symlink.
int createExclusive(const std::string &Path, int Flags) {
  return open(Path.c_str(), Flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0644);
}

/// Picks the first of PATTERN, PATTERN.1, ... PATTERN.99 where neither the
/// report, its temporary file nor the event stream exists, and creates the
/// stream there with O_EXCL (and the report itself when CreateReport): an
/// existing file is never clobbered and a symlink planted at any of the
/// names is never followed. Both fds are kept above the host's numbers.
Claim claimReportPaths(const char *Wanted, bool CreateReport) {
  ProbeOpenWindow Window;
  Claim Result;
  for (unsigned N = 0; N < 100; ++N) {
    std::string Report = numberedPath(Wanted, N);
    std::string Events = eventsPathOf(Report);
    if (Report.size() >= sizeof(ReportPath) ||
        Events.size() >= sizeof(EventsPath))
      break;
    if (isTaken(Report) || isTaken(Report + ".tmp"))
      continue;
    int Fd = createExclusive(Events, O_WRONLY | O_APPEND);
    if (Fd < 0 && errno == EEXIST)
      continue;
    int ReportFd = -1;
    if (Fd >= 0 && CreateReport) {
      ReportFd = createExclusive(Report, O_RDWR);
      if (ReportFd < 0) {
        int Error = errno;
        close(Fd);
        unlink(Events.c_str());
        if (Error == EEXIST)
          continue;
        Fd = -1;
        Events = Report;
        errno = Error;
      }
    }
    if (Fd < 0) {
      Result.Error = errno;
      Result.FailedPath = Events;
      Result.FailedReport = Report;
      return Result;
    }
    if (N)
      complain("stallhound-probe: %s exists; writing %s instead\n", Wanted,
               Report.c_str());
    snprintf(ReportPath, sizeof(ReportPath), "%s", Report.c_str());
    snprintf(EventsPath, sizeof(EventsPath), "%s", Events.c_str());
    Result.EventsFd = keepAboveHostFds(Fd);
    Result.ReportFd = keepAboveHostFds(ReportFd);
    return Result;
  }
  complain("stallhound-probe: %s and its numbered alternatives are taken; "
           "no report\n",
           Wanted);
  return Result;
}

/// The name of Path without its directory.
const char *baseName(const char *Path) {
  const char *Slash = strrchr(Path, '/');
  return Slash ? Slash + 1 : Path;
}

/// Claims the report paths of the output pattern; when its directory
/// refuses the process, the same name in the fallback directory instead,
/// saying so on stderr.
Claim claimWithFallback(bool CreateReport) {
  char Pattern[sizeof(ReportPath)];
  expandPattern(Pattern, sizeof(Pattern));
  Claim Wanted = claimReportPaths(Pattern, CreateReport);
  if (Wanted.EventsFd >= 0 || !Wanted.Error)
    return Wanted;
  char Dir[sizeof(ReportPath)];
  if (!isRefusal(Wanted.Error) || !fallbackDirectory(Dir, sizeof(Dir))) {
    complain("stallhound-probe: cannot write %s: %s; no report\n",
             Wanted.FailedPath.c_str(), strerror(Wanted.Error));
    return Wanted;
  }
  std::string Alternative = std::string(Dir) + "/" + baseName(Pattern);
  Claim Fallback = claimReportPaths(Alternative.c_str(), CreateReport);
  if (Fallback.EventsFd < 0) {
    if (Fallback.Error)
      complain("stallhound-probe: cannot write %s: %s; no report\n",
               Fallback.FailedPath.c_str(), strerror(Fallback.Error));
    return Fallback;
  }
  snprintf(RefusedReportPath, sizeof(RefusedReportPath), "%s",
           Wanted.FailedReport.c_str());
  RefusalError = Wanted.Error;
  char Line[4400];
  int Size =
      snprintf(Line, sizeof(Line),
               "stallhound-probe: cannot write %s: %s; writing %s "
               "instead\n",
               Wanted.FailedPath.c_str(), strerror(Wanted.Error), ReportPath);
  if (Size > 0)
    writeAll(2, Line,
             size_t(Size) < sizeof(Line) ? size_t(Size) : sizeof(Line) - 1);
  return Fallback;
}

/// Moves the finished temporary file over the report. The first time the
/// name must still be free (it was when the process claimed it).
bool publishReport(const char *Temporary) {
  if (Published)
    return rename(Temporary, ReportPath) == 0;
  if (renameat2(AT_FDCWD, Temporary, AT_FDCWD, ReportPath, RENAME_NOREPLACE) ==
      0)
    return Published = true;
  // File systems without RENAME_NOREPLACE: a link never replaces either.
  if ((errno == EINVAL || errno == ENOSYS) &&
      link(Temporary, ReportPath) == 0) {
    unlink(Temporary);
    return Published = true;
  }
  return false;
}

/// Writes the summary text to PATH.tmp (created with O_EXCL, so a file or
/// symlink planted there is neither followed nor replaced) and renames it.
/// Returns 0, or the error of the step that failed (naming its file in
/// FailedPath); the temporary file is gone either way.
int renameIntoPlace(const std::string &Text, std::string &FailedPath) {
  std::string Temporary = std::string(ReportPath) + ".tmp";
  FailedPath = Temporary;
  int Fd = createExclusive(Temporary, O_WRONLY);
  if (Fd < 0)
    return errno;
  bool Written = writeAll(Fd, Text.data(), Text.size());
  int Error = errno;
  close(Fd);
  if (Written && publishReport(Temporary.c_str()))
    return 0;
  if (Written) {
    Error = errno;
    FailedPath = ReportPath;
  }
  unlink(Temporary.c_str());
  return Error ? Error : EIO;
}

/// A rename replaced the file KeptReportFd was open on.
void closeKeptReport() {
  int Fd = KeptReportFd.exchange(-1);
  if (Fd >= 0)
    close(Fd);
}

/// Rewrites the report on the file kept open (reopened by name if the host
/// closed it): the new text over the old from the start, then the file cut
/// to its length.
bool rewriteInPlace(const std::string &Text) {
  int Fd = KeptReportFd.load();
  if (Fd < 0) {
    ProbeOpenWindow Window;
    Fd = open(ReportPath, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (Fd < 0)
      return false;
    Fd = keepAboveHostFds(Fd);
    KeptReportFd.store(Fd);
  }
  size_t Done = 0;
  while (Done < Text.size()) {
    ssize_t N = pwrite(Fd, Text.data() + Done, Text.size() - Done, off_t(Done));
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Done += size_t(N);
  }
  return ftruncate(Fd, off_t(Text.size())) == 0;
}

/// Replaces the report with Text: by rename while the directory lets the
/// process, in place once it refuses (the process changed user and the
/// report was created before). A rename is atomic for readers; an in-place
/// rewrite is not, so it is only the fallback.
void replaceReport(const std::string &Text) {
  if (!RewriteInPlace) {
    std::string FailedPath;
    int Error = renameIntoPlace(Text, FailedPath);
    if (!Error) {
      closeKeptReport();
      return;
    }
    if (!isRefusal(Error) || !Published) {
      if (!ComplainedOnce.exchange(true))
        complain("stallhound-probe: cannot write %s: %s; summary not "
                 "updated\n",
                 FailedPath.c_str(), strerror(Error));
      return;
    }
    RewriteInPlace = true;
  }
  int Error = rewriteInPlace(Text) ? 0 : errno;
  if (Error && !ComplainedOnce.exchange(true))
    complain("stallhound-probe: cannot rewrite %s in place: %s; summary not "
             "updated\n",
             ReportPath, strerror(Error));
}

/// The summary writer and a change of user take turns on the report files.
/// Bounded: a host signal handler that calls setuid on a thread interrupted
/// while it held them must not hang; it goes without.
bool lockReportFiles() {
  for (unsigned Waited = 0; Waited < 2000; ++Waited) {
    if (!SummaryBusy.exchange(true, std::memory_order_acquire))
      return true;
    usleep(1000);
  }
  return false;
}

void unlockReportFiles() {
  SummaryBusy.store(false, std::memory_order_release);
}

void streamStart(int Fd) {
  std::string Line = "{\"event\":\"start\",\"pid\":";
  appendInteger(Line, uint64_t(TheProcess.Pid));
  Line += ",\"forked_from\":";
  appendInteger(Line, uint64_t(TheProcess.ForkedFrom));
  Line += ",\"start\":";
  char Time[48];
  formatIsoTime(TheProcess.StartWallNs, Time, sizeof(Time));
  appendString(Line, Time);
  Line += ",\"threshold_ms\":";
  appendNumber(Line, nsToMs(TheSettings.ThresholdNs));
  if (RefusedReportPath[0]) {
    Line += ",\"report_fallback\":{\"wanted\":";
    appendString(Line, RefusedReportPath);
    Line += ",\"error\":";
    appendString(Line, strerror(RefusalError));
    Line += '}';
  }
  Line += "}\n";
  writeAll(Fd, Line.data(), Line.size());
}

void streamCredentialLine(int Fd) {
  char Line[160];
  int Size = snprintf(
      Line, sizeof(Line),
      "{\"event\":\"credentials\",\"at_ms\":%.3f,\"uid\":%u,\"gid\":%u}\n",
      nsToMs(TheCredentialChange.AtNs.load() - TheProcess.StartMonoNs),
      unsigned(TheCredentialChange.Uid.load()),
      unsigned(TheCredentialChange.Gid.load()));
  if (Size > 0)
    writeAll(Fd, Line, size_t(Size));
}

/// Claims this process's files (or their fallback) and starts the stream;
/// the report file itself too when CreateReport. With the files locked.
void claimReportFiles(bool CreateReport) {
  Claim Claimed = claimWithFallback(CreateReport);
  if (Claimed.EventsFd < 0)
    return;
  streamStart(Claimed.EventsFd);
  if (TheCredentialChange.Changed.load())
    streamCredentialLine(Claimed.EventsFd);
  EventsFd.store(Claimed.EventsFd);
  if (Claimed.ReportFd >= 0) {
    KeptReportFd.store(Claimed.ReportFd);
    Published = true;
  }
}

/// The report the process renamed into place, opened to be kept.
int openPublishedReport() {
  ProbeOpenWindow Window;
  int Fd = open(ReportPath, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  struct stat St;
  if (Fd >= 0 && (fstat(Fd, &St) != 0 || !S_ISREG(St.st_mode))) {
    close(Fd);
    return -1;
  }
  return keepAboveHostFds(Fd);
}

std::string summaryText(bool Final);

} // namespace

void captureProcessInfo(int ForkedFrom) {
  TheProcess.Pid = int(getpid());
  TheProcess.ForkedFrom = ForkedFrom;
  TheProcess.StartWallNs = wallNs();
  TheProcess.StartMonoNs = monotonicNs();
  if (ForkedFrom)
    return; // exe, argv and working directory are the parent's
  ssize_t N =
      readlink("/proc/self/exe", TheProcess.Exe, sizeof(TheProcess.Exe) - 1);
  TheProcess.Exe[N > 0 ? N : 0] = '\0';
  int Fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  if (Fd >= 0) {
    ssize_t Size = read(Fd, TheProcess.Argv, sizeof(TheProcess.Argv) - 1);
    TheProcess.ArgvSize = Size > 0 ? unsigned(Size) : 0;
    close(Fd);
  }
  if (!getcwd(TheProcess.WorkingDir, sizeof(TheProcess.WorkingDir)))
    strcpy(TheProcess.WorkingDir, ".");
}

void openReportFiles() {
  if (!lockReportFiles())
    return;
  if (!ReportPath[0])
    claimReportFiles(false);
  unlockReportFiles();
}

void prepareReportForUserChange() {
  RecursionGuard Guard;
  ErrnoKeeper KeepErrno;
  if (!lockReportFiles())
    return;
  if (Ended || RewriteInPlace || KeptReportFd.load() >= 0) {
    unlockReportFiles();
    return;
  }
  bool Created = false;
  ProbeOpenWindow Window;
  if (!ReportPath[0]) {
    claimReportFiles(true);
    Created = KeptReportFd.load() >= 0;
  } else if (Published) {
    KeptReportFd.store(openPublishedReport());
  } else if (int Fd = createExclusive(ReportPath, O_RDWR); Fd >= 0) {
    KeptReportFd.store(keepAboveHostFds(Fd));
    Published = Created = true;
  }
  // A new report file holds a report from the start: a process that never
  // runs a loop leaves one with no loops, not an empty file, where it may
  // not remove it.
  if (Created)
    rewriteInPlace(summaryText(false));
  unlockReportFiles();
}

void streamCredentialChange() {
  RecursionGuard Guard;
  int Fd = EventsFd.load();
  if (Fd >= 0)
    streamCredentialLine(Fd);
}

void discardUnusedReportFiles(const char *How, int Status) {
  if (!ReportPath[0] || Ended)
    return;
  if (unlink(ReportPath) == 0) {
    unlink(EventsPath);
    int Fd = EventsFd.exchange(-1);
    if (Fd >= 0)
      close(Fd);
    closeKeptReport();
    ReportPath[0] = EventsPath[0] = '\0';
    return;
  }
  streamExit(How, Status);
  writeSummary(true);
}

void forgetReportFiles() {
  int Fd = EventsFd.exchange(-1);
  if (Fd >= 0)
    close(Fd);
  closeKeptReport();
  ReportPath[0] = EventsPath[0] = RefusedReportPath[0] = '\0';
  RewriteInPlace = false;
  Ended.store(false);
  Published = false;
  ComplainedOnce.store(false);
  SummaryBusy.store(false);
  TheSymbolizer = new Symbolizer; // the parent's copy is left alone
}

bool reportFilesOpen() { return EventsFd.load() >= 0; }

void reportFiles(int &Events, int &Report) {
  Events = EventsFd.load();
  Report = KeptReportFd.load();
}

void hostClosesFd(int Fd) {
  if (Fd < 0)
    return;
  int Expected = Fd;
  EventsFd.compare_exchange_strong(Expected, -1);
  Expected = Fd;
  KeptReportFd.compare_exchange_strong(Expected, -1);
}

namespace {

/// The host closed the stream's fd: reopen the file (what happened meanwhile
/// is lost, never written into the host's files).
void reopenEventsIfClosed() {
  if (EventsFd.load() >= 0 || !EventsPath[0])
    return;
  int Fd = open(EventsPath, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0 && errno == ENOENT)
    Fd = open(EventsPath,
              O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC,
              0644);
  int Expected = -1;
  if (Fd >= 0 && !EventsFd.compare_exchange_strong(Expected, Fd))
    close(Fd);
}

/// At most MaxEventsPerSecond lines a second; the others are counted.
bool takeEventSlot(uint64_t NowNs) {
  uint64_t Window = EventWindowNs.load(std::memory_order_relaxed);
  if (NowNs - Window >= 1'000'000'000u &&
      EventWindowNs.compare_exchange_strong(Window, NowNs))
    EventsInWindow.store(0, std::memory_order_relaxed);
  if (EventsInWindow.fetch_add(1, std::memory_order_relaxed) <
      MaxEventsPerSecond)
    return true;
  EventsDropped.fetch_add(1, std::memory_order_relaxed);
  return false;
}

} // namespace

void streamOccurrence(FindingKind Kind, int FindingId, const char *Call,
                      RunPhase Phase, int Tid, uint64_t DurationNs,
                      uint64_t NowNs, int64_t Iteration) {
  int Fd = EventsFd.load(std::memory_order_relaxed);
  if (Fd < 0 || !takeEventSlot(NowNs))
    return;
  char IterationField[40] = "";
  if (Iteration >= 0)
    snprintf(IterationField, sizeof(IterationField), ",\"iteration\":%lld",
             static_cast<long long>(Iteration));
  char Line[512];
  int Size = snprintf(Line, sizeof(Line),
                      "{\"event\":\"%s\",\"at_ms\":%.3f,\"tid\":%d%s,"
                      "\"finding\":%d,\"call\":\"%s\",\"phase\":\"%s\","
                      "\"ms\":%.3f}\n",
                      kindName(Kind), nsToMs(NowNs - TheProcess.StartMonoNs),
                      Tid, IterationField, FindingId, Call, phaseName(Phase),
                      nsToMs(DurationNs));
  if (Size > 0)
    writeAll(Fd, Line,
             size_t(Size) < sizeof(Line) ? size_t(Size) : sizeof(Line) - 1);
}

void streamOpenStall(const OpenStallRecord &Stall, Symbolizer &Names) {
  int Fd = EventsFd.load(std::memory_order_relaxed);
  uint64_t NowNs = monotonicNs();
  if (Fd < 0 || !takeEventSlot(NowNs))
    return;
  std::string Stack;
  const FrameInfo *Handler = nullptr;
  appendFrames(Stack, Stall.Stack, &Handler, Names);
  std::string Line = "{\"event\":\"open-stall\",\"at_ms\":";
  appendNumber(Line, nsToMs(NowNs - TheProcess.StartMonoNs));
  Line += ",\"tid\":";
  appendInteger(Line, uint64_t(Stall.Tid));
  Line += ",\"iteration\":";
  appendInteger(Line, Stall.Iteration);
  Line += ",\"since_ms\":";
  appendNumber(Line, nsToMs(Stall.SinceNs - TheProcess.StartMonoNs));
  Line += ",\"elapsed_ms\":";
  appendNumber(Line, nsToMs(Stall.ElapsedNs));
  Line += ",\"phase\":";
  appendString(Line, phaseName(Stall.Phase));
  Line += ",\"call\":";
  appendString(Line, Stall.Call);
  Line += ",\"cause\":";
  appendString(Line, Stall.Cause);
  Line += ",\"sampled\":";
  Line += Stall.Stack.FirstIsPc ? "true" : "false";
  Line += ",\"handler\":";
  appendHandler(Line, pythonHandler(Stall.Python), Handler, false);
  Line += ",\"stack\":";
  Line += Stack;
  if (Stall.Python.Depth) {
    Line += ",\"python_stack\":";
    appendPythonStack(Line, Stall.Python);
  }
  Line += "}\n";
  writeAll(Fd, Line.data(), Line.size());
}

void streamExit(const char *How, int Status) {
  reopenEventsIfClosed();
  int Fd = EventsFd.load();
  if (Fd < 0)
    return;
  char Line[160];
  int Size =
      snprintf(Line, sizeof(Line),
               "{\"event\":\"exit\",\"at_ms\":%.3f,\"how\":\"%s\","
               "\"status\":%d}\n",
               nsToMs(monotonicNs() - TheProcess.StartMonoNs), How, Status);
  writeAll(Fd, Line, size_t(Size));
}

namespace {

/// In a CPython process: its version and what the probe cannot tell on it,
/// said once here rather than as findings with a wrong or missing name.
void appendPython(std::string &Out) {
  const PythonApi *Py = resolvedPythonApi();
  if (!Py) {
    Out += "null";
    return;
  }
  Out += "{\"version\":";
  appendString(Out, ("3." + std::to_string(pythonMinorVersion())).c_str());
  Out += ",\"unknown\":[";
  bool First = true;
  auto Add = [&](const char *What, const char *Why) {
    if (!First)
      Out += ',';
    First = false;
    Out += "{\"what\":";
    appendString(Out, What);
    Out += ",\"why\":";
    appendString(Out, Why);
    Out += '}';
  };
  if (!Py->GilHolderState && !Py->GilFields.Holder)
    Add("gil-holder", Py->GilFields.Unknown ? Py->GilFields.Unknown
                                            : "not read on this version");
  if (const char *Why = callSiteLayoutProblem())
    Add("fast-call-endpoints", Why);
  Out += "]}";
}

/// The summary's JSON; new findings are announced in the stream on the way.
std::string summaryText(bool Final) {
  std::vector<FindingRecord> Findings;
  std::vector<uint32_t> NewIds;
  TheFindings.snapshot(Findings, NewIds);

  // Announce new findings in the stream, symbolized.
  int Fd = EventsFd.load();
  for (uint32_t Id : NewIds) {
    std::string Line = "{\"event\":\"finding\",\"finding\":";
    appendFinding(Line, Findings[Id], Final);
    Line += "}\n";
    if (Fd >= 0)
      writeAll(Fd, Line.data(), Line.size());
  }

  std::string Out;
  Out.reserve(64 * 1024);
  // Every stallhound JSON names its tool, kind and version; the first key
  // stays for the readers of version 1 that look for it.
  Out += "{\"stallhound_probe\":1,\"tool\":\"stallhound\",\"kind\":"
         "\"probe\",\"version\":1,\"process\":";
  appendProcess(Out, Final ? wallNs() : 0);
  Out += ",\"settings\":";
  appendSettings(Out);
  Out += ",\"sampling\":{\"enabled\":";
  Out += TheSampling.Enabled.load() ? "true" : "false";
  Out += ",\"signal\":";
  appendInteger(Out, uint64_t(TheSampling.Signal));
  Out += ",\"off_reason\":";
  if (const char *Reason = TheSampling.OffReason.load())
    appendString(Out, Reason);
  else
    Out += "null";
  Out += ",\"signals_sent\":";
  appendInteger(Out, TheSampling.SignalsSent.load());
  Out += ",\"samples\":";
  appendInteger(Out, TheSampling.SamplesTaken.load());
  Out += "},\"python\":";
  appendPython(Out);
  Out += ",\"loops\":";
  appendLoops(Out);
  Out += ",\"loop_slots\":";
  appendLoopSlots(Out);
  Out += ",\"findings\":[";
  for (size_t I = 0; I < Findings.size(); ++I) {
    if (I)
      Out += ',';
    appendFinding(Out, Findings[I], Final);
  }
  Out += "],\"dropped\":{\"events\":";
  appendInteger(Out, EventsDropped.load());
  Out += ",\"stacks_suppressed\":";
  appendInteger(Out, TheFindings.StacksSuppressed.load());
  Out += ",\"findings_over_capacity\":";
  appendInteger(Out, TheFindings.Overflowed.load());
  Out += "}}\n";
  return Out;
}

} // namespace

void writeSummary(bool Final) {
  if (!ReportPath[0] || Ended)
    return;
  // One writer at a time; the final write waits for a periodic one.
  while (SummaryBusy.exchange(true, std::memory_order_acquire)) {
    if (!Final)
      return;
    usleep(1000);
  }
  if (Ended) {
    SummaryBusy.store(false);
    return;
  }
  reopenEventsIfClosed();
  replaceReport(summaryText(Final));
  if (Final)
    Ended = true;
  SummaryBusy.store(false, std::memory_order_release);
}

} // namespace stallhound::probe
