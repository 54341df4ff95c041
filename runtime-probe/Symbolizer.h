//===- Symbolizer.h - Names for raw addresses, off the hot path -*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_SYMBOLIZER_H
#define STALLHOUND_PROBE_SYMBOLIZER_H

#include "ElfSymbols.h"
#include "PerfMap.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace stallhound::probe {

struct FrameInfo {
  std::string Function; // demangled; empty when unknown
  std::string Module;   // path; empty for anonymous (JIT) code
  std::string BuildId;  // hex
  uintptr_t Offset = 0; // from the module's load base
  std::string Language; // c, c++, javascript or unknown
  std::string File;     // source file, when known (JIT code from a perf map)
  unsigned Line = 0;
  /// The program's own code, as opposed to libc, libstdc++, the loop library,
  /// the interpreter or unknown code.
  bool IsOwnCode = false;
};

/// dladdr + demangling, cached per address; /proc/self/exe names the main
/// module; /tmp/perf-PID.map (node --perf-basic-prof) names JIT code. Only the
/// report writer's thread uses it.
class Symbolizer {
public:
  /// IsReturnAddress: look up Address - 1 (inside the call instruction).
  const FrameInfo &lookup(uintptr_t Address, bool IsReturnAddress);
  void clear();

private:
  FrameInfo resolve(uintptr_t Address, bool IsReturnAddress);
  const std::string &buildIdOf(uintptr_t Base);
  /// Reads what the JIT appended to its perf map since the last look (at
  /// most every 100 ms); forgets the names of anonymous code when the map
  /// changed, since the JIT may have put other code at those addresses.
  void refreshPerfMap();

  std::unordered_map<uintptr_t, FrameInfo> Cache;
  std::unordered_map<uintptr_t, std::string> BuildIds;
  std::unordered_map<std::string, std::unique_ptr<ElfSymbols>> FileSymbols;
  PerfMap JitNames;
  uint64_t PerfMapCheckedNs = 0;
  std::string MainExe;
};

/// True for modules and names that are not the program's own code.
bool isLibraryModule(const std::string &Path);
bool isLibraryFunction(const std::string &Name);

} // namespace stallhound::probe

#endif
