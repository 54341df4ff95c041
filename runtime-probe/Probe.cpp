//===- Probe.cpp - Probe lifecycle: load, fork, exit ----------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Nothing starts at load time but reading the settings: the background
// threads and the report files appear when a thread is first found to run an
// event loop (its second wait on the same thing), so the many short processes
// a server spawns (shells, compilers) stay untouched. A forked child forgets
// its parent's loops and findings and starts its own report on its next wait.
//
//===----------------------------------------------------------------------===//

#include "Probe.h"

#include "Credentials.h"
#include "Findings.h"
#include "LoopSlotsOverflow.h"
#include "LoopTracker.h"
#include "OpenStalls.h"
#include "RealFunctions.h"
#include "ReportWriter.h"
#include "Settings.h"
#include "StackSampler.h"
#include "ThreadState.h"
#include "Watchdog.h"

#include <cerrno>
#include <cstring>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace stallhound::probe {

__thread ThreadState CurrentThread __attribute__((tls_model("initial-exec")));

namespace {

std::atomic<bool> StartedInThisProcess{false};
std::atomic<bool> StartLock{false};
std::atomic<bool> ThreadsStarted{false};
std::atomic<bool> ThreadsLock{false};
int OwnerPid = 0;

void onForkChild() {
  int ParentPid = OwnerPid;
  OwnerPid = int(getpid());
  ForkGeneration.fetch_add(1);
  for (LoopSlot &S : LoopSlots)
    if (S.Tid.load(std::memory_order_relaxed))
      memset(static_cast<void *>(&S), 0, sizeof(S));
  TheFindings.clear();
  forgetReportFiles();
  forgetCredentialChange();
  forgetOpenStalls();
  forgetLoopOverflow();
  TheSampling.Enabled = false;
  StartedInThisProcess = false;
  StartLock = false;
  ThreadsStarted = false;
  ThreadsLock = false;
  ShuttingDown = false;
  captureProcessInfo(ParentPid);
  CurrentThread.Slot = nullptr;
  CurrentThread.Untracked = false;
  CurrentThread.CountedOverCapacity = false;
  CurrentThread.UntrackedHits = 0;
}

__attribute__((constructor)) void loadProbe() {
  RecursionGuard Guard;
  ErrnoKeeper KeepErrno;
  readSettings(TheSettings);
  if (TheSettings.Disabled)
    return;
  OwnerPid = int(getpid());
  resolveSyscall();
  resolveLockFunctions();
  captureProcessInfo(0);
  findProbeCodeRange();
  createSlotKey();
  pthread_atfork(nullptr, nullptr, onForkChild);
  ProbeActive.store(true, std::memory_order_release);
}

__attribute__((destructor)) void unloadProbe() {
  if (!ProbeActive.load())
    return;
  onProcessExit("exit", 0, true);
}

} // namespace

void ensureThreadsStarted() {
  if (ThreadsStarted.load(std::memory_order_acquire))
    return;
  if (ThreadsLock.exchange(true))
    return; // another thread is starting them
  RecursionGuard Guard;
  ErrnoKeeper KeepErrno;
  startBackgroundThreads();
  ThreadsStarted.store(true, std::memory_order_release);
}

void ensureStarted() {
  if (StartedInThisProcess.load(std::memory_order_acquire))
    return;
  if (StartLock.exchange(true))
    return; // another thread is starting it
  RecursionGuard Guard;
  ErrnoKeeper KeepErrno;
  openReportFiles();
  ensureThreadsStarted();
  StartedInThisProcess.store(true, std::memory_order_release);
}

bool reportStarted() {
  return StartedInThisProcess.load(std::memory_order_acquire);
}

bool ownsReportFiles() { return int(syscall(SYS_getpid)) == OwnerPid; }

void onProcessExit(const char *How, int Status, bool Final) {
  if (!ProbeActive.load() || !ownsReportFiles())
    return;
  RecursionGuard Guard;
  ErrnoKeeper KeepErrno;
  if (!StartedInThisProcess.load()) {
    // Files created ahead of a change of user, for a loop that never came.
    if (Final)
      discardUnusedReportFiles(How, Status);
    return;
  }
  bool AlreadyShuttingDown = ShuttingDown.exchange(true);
  if (!AlreadyShuttingDown)
    streamExit(How, Status);
  if (Final)
    writeSummary(true);
}

} // namespace stallhound::probe
