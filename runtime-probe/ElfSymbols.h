//===- ElfSymbols.h - Function symbols read from an ELF file ----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_ELFSYMBOLS_H
#define STALLHOUND_PROBE_ELFSYMBOLS_H

#include <cstdint>
#include <string>
#include <vector>

namespace stallhound::probe {

/// The STT_FUNC symbols of .symtab (else .dynsym) of one ELF file on disk:
/// names static functions and programs not linked with -rdynamic, which
/// dladdr cannot. Only the report writer's thread uses it.
class ElfSymbols {
public:
  /// Reads Path; an unreadable or stripped file gives an empty table.
  explicit ElfSymbols(const std::string &Path);
  /// The mangled name of the function containing the link-time address
  /// Address, or null.
  const char *find(uint64_t Address) const;

private:
  struct Symbol {
    uint64_t Start;
    uint64_t Size;
    uint32_t Name; // offset in Names
  };
  std::vector<Symbol> Symbols; // sorted by Start
  std::string Names;
};

} // namespace stallhound::probe

#endif
