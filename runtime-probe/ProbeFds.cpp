//===- ProbeFds.cpp - Where the probe keeps its own file descriptors ------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ProbeFds.h"

#include <atomic>
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace stallhound::probe {

namespace {

/// Half the soft limit, at most 512: out of the way of a server's usual
/// numbers without growing a small process's fd table much.
constexpr rlim_t HighestFloor = 512;

std::atomic<int> OpenWindows{0};
__thread bool InOpenWindow __attribute__((tls_model("initial-exec")));

uint64_t monotonicMs() {
  timespec Now;
  clock_gettime(CLOCK_MONOTONIC, &Now);
  return uint64_t(Now.tv_sec) * 1000 + uint64_t(Now.tv_nsec) / 1000000;
}

} // namespace

ProbeOpenWindow::ProbeOpenWindow() {
  InOpenWindow = true;
  OpenWindows.fetch_add(1, std::memory_order_seq_cst);
}

ProbeOpenWindow::~ProbeOpenWindow() {
  OpenWindows.fetch_sub(1, std::memory_order_seq_cst);
  InOpenWindow = false;
}

void waitForProbeOpens() {
  if (InOpenWindow || !OpenWindows.load(std::memory_order_seq_cst))
    return;
  uint64_t Deadline = monotonicMs() + 5;
  while (OpenWindows.load(std::memory_order_seq_cst) &&
         monotonicMs() < Deadline)
    sched_yield();
}

int keepAboveHostFds(int Fd) {
  rlimit Limit;
  if (Fd < 0 || getrlimit(RLIMIT_NOFILE, &Limit) != 0)
    return Fd;
  rlim_t Floor = Limit.rlim_cur / 2;
  if (Floor > HighestFloor)
    Floor = HighestFloor;
  if (Floor <= rlim_t(Fd))
    return Fd;
  int High = fcntl(Fd, F_DUPFD_CLOEXEC, int(Floor));
  if (High < 0)
    return Fd;
  syscall(SYS_close, Fd); // the probe's own number: not the host's close()
  return High;
}

} // namespace stallhound::probe
