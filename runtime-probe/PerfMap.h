//===- PerfMap.h - Names of JIT code from /tmp/perf-PID.map -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_PERFMAP_H
#define STALLHOUND_PROBE_PERFMAP_H

#include <cstdint>
#include <map>
#include <string>

namespace stallhound::probe {

/// The perf map a JIT appends to as it compiles (node --perf-basic-prof):
/// "START SIZE NAME" lines. A JIT reuses its code space, so a later line
/// replaces whatever earlier lines said of the range it covers: the newest
/// mapping of an address wins, whichever entry starts first.
class PerfMap {
public:
  /// Reads the lines appended since the last call (complete lines only);
  /// returns true when the map changed.
  bool refresh(const char *Path);
  /// The name of the code at Address, or nullptr.
  const std::string *find(uintptr_t Address) const;
  /// Adds one line's mapping (also for tests of the rule above).
  void add(uintptr_t Start, uintptr_t Size, std::string Name);
  void clear();

private:
  struct Entry {
    uintptr_t Size;
    std::string Name;
  };
  std::map<uintptr_t, Entry> Entries; // by start address
  long ReadUpTo = 0;                  // bytes of the file already read
  unsigned long long Inode = 0;       // a new file (a new process) starts over
};

} // namespace stallhound::probe

#endif
