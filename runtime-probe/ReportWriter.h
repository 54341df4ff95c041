//===- ReportWriter.h - NDJSON event stream and JSON summary ----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_REPORTWRITER_H
#define STALLHOUND_PROBE_REPORTWRITER_H

#include "Findings.h"

#include <cstdint>

namespace stallhound::probe {

class Symbolizer;

/// What the summary says about the process; filled at start.
struct ProcessInfo {
  int Pid = 0;
  int ForkedFrom = 0; // parent pid when this process is a fork child
  uint64_t StartWallNs = 0;
  uint64_t StartMonoNs = 0;
  char Exe[1024] = "";
  char Argv[4096] = ""; // NUL-separated, as /proc/self/cmdline
  unsigned ArgvSize = 0;
  char WorkingDir[1024] = "";
};

extern ProcessInfo TheProcess;

/// Reads pid, exe, argv and the working directory (before the host changes
/// them).
void captureProcessInfo(int ForkedFrom);

/// Computes the report paths for this process and opens the event stream
/// (unless a change of user created them already). When the output
/// directory refuses the process, the files go to the fallback directory
/// (ReportFallback.h), with one line on stderr.
void openReportFiles();
/// Forgets the parent's files in a forked child (without touching them).
void forgetReportFiles();
bool reportFilesOpen();

/// Root's effective user id is about to go away: creates the report and its
/// event stream now if they do not exist yet, and keeps the report open, so
/// that it can be rewritten in place once the directory refuses the new
/// user.
void prepareReportForUserChange();

/// Streams TheCredentialChange, if the event stream is open already (else
/// the stream's start line is followed by it).
void streamCredentialChange();

/// The process ends without having run a loop: files created ahead of a
/// change of user are removed, or, where the new user may not, finished.
void discardUnusedReportFiles(const char *How, int Status);

/// The fds of the event stream and of the kept report, or -1.
void reportFiles(int &Events, int &Report);

/// The host is closing Fd: if it is the event stream or the kept report,
/// stop using that number (it may come back as one of the host's files); the
/// report thread reopens the stream.
void hostClosesFd(int Fd);

/// Streams one occurrence of a finding as an NDJSON line: a fixed buffer and
/// one write(2), usable on a loop thread; rate-limited. Iteration (stalls
/// only) is the loop iteration that stalled: it closes the open-stall
/// records of the same tid and iteration.
void streamOccurrence(FindingKind Kind, int FindingId, const char *Call,
                      RunPhase Phase, int Tid, uint64_t DurationNs,
                      uint64_t NowNs, int64_t Iteration = -1);

/// A stall still in progress, as the watchdog sees it (OpenStalls.h).
struct OpenStallRecord {
  int Tid;
  uint64_t Iteration;
  uint64_t SinceNs; // monotonic
  uint64_t ElapsedNs;
  RunPhase Phase;
  const char *Call;  // the intercepted call in progress, "cpu" or "unknown"
  const char *Cause; // StallCause
  StackTrace Stack;
  PythonStack Python;
};

/// Streams an "open-stall" line, its frames named by Names (the caller's
/// own: a Symbolizer serves one thread); rate-limited with the occurrences.
/// Allocates: the watchdog's thread only.
void streamOpenStall(const OpenStallRecord &Stall, Symbolizer &Names);

/// Symbolizes new findings (streaming a "finding" line for each) and rewrites
/// the JSON summary atomically (temporary file + rename; in place, on the
/// file kept open, once the directory refuses the process after a change of
/// user). Final marks the process as ended. Allocates: never call it from a
/// signal handler.
void writeSummary(bool Final);

/// Streams a line saying the process is leaving (from _exit and exit).
void streamExit(const char *How, int Status);

} // namespace stallhound::probe

#endif
