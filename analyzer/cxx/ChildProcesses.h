//===- ChildProcesses.h - Run work in forked processes, a few at a time -*- C++
//-*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Each translation unit is parsed in a child process of its own: a crash in
// Clang or in the analyzer costs that unit only, all of its memory goes back
// to the system when it ends, and its peak memory and CPU time are measured
// by the kernel.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_CHILDPROCESSES_H
#define STALLHOUND_ANALYZER_CHILDPROCESSES_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stallhound {

struct ChildOutcome {
  std::string Output; // what the child wrote to its result descriptor
  std::string Stderr;
  int WaitStatus = 0;
  double CpuSeconds = 0;
  uint64_t PeakRssKb = 0;

  bool exitedCleanly() const;
  /// "signal 11 (Segmentation fault)", "exit status 3", or "" when clean.
  std::string failure() const;
};

class ChildProcesses {
public:
  /// AddressSpaceLimit (bytes, 0 for none) is set in every child, so that a
  /// runaway unit fails alone instead of exhausting the machine.
  explicit ChildProcesses(uint64_t AddressSpaceLimit = 0)
      : AddressSpaceLimit(AddressSpaceLimit) {}
  ~ChildProcesses(); // kills and reaps children still running
  ChildProcesses(const ChildProcesses &) = delete;
  ChildProcesses &operator=(const ChildProcesses &) = delete;

  /// Runs Work(ResultFd) in a new process that ends when Work returns; what
  /// Work writes to ResultFd and to stderr comes back in its outcome. Throws
  /// std::runtime_error when no process can be made.
  void start(size_t Tag, llvm::function_ref<void(int ResultFd)> Work);

  size_t running() const { return Children.size(); }

  /// Waits for one running child to end; returns its tag and outcome.
  std::pair<size_t, ChildOutcome> waitAny();

private:
  struct Child {
    int Pid = -1;
    size_t Tag = 0;
    int ResultFd = -1;
    int StderrFd = -1;
    ChildOutcome Outcome;
  };

  uint64_t AddressSpaceLimit;
  std::vector<Child> Children;

  void readAvailable();
};

} // namespace stallhound

#endif
