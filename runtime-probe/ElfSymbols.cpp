//===- ElfSymbols.cpp - Function symbols read from an ELF file ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ElfSymbols.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stallhound::probe {

namespace {

/// Keeps a read-only mapping of a whole file for the scope.
struct MappedFile {
  explicit MappedFile(const std::string &Path) {
    int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
    if (Fd < 0)
      return;
    struct stat St;
    if (fstat(Fd, &St) == 0 && St.st_size > 0) {
      void *Mapped =
          mmap(nullptr, size_t(St.st_size), PROT_READ, MAP_PRIVATE, Fd, 0);
      if (Mapped != MAP_FAILED) {
        Data = static_cast<const uint8_t *>(Mapped);
        Size = size_t(St.st_size);
      }
    }
    close(Fd);
  }
  ~MappedFile() {
    if (Data)
      munmap(const_cast<uint8_t *>(Data), Size);
  }
  const uint8_t *Data = nullptr;
  size_t Size = 0;
};

} // namespace

ElfSymbols::ElfSymbols(const std::string &Path) {
  MappedFile File(Path);
  if (!File.Data || File.Size < sizeof(Elf64_Ehdr) ||
      memcmp(File.Data, ELFMAG, SELFMAG) != 0 ||
      File.Data[EI_CLASS] != ELFCLASS64)
    return;
  auto *Header = reinterpret_cast<const Elf64_Ehdr *>(File.Data);
  if (Header->e_shoff == 0 ||
      Header->e_shoff + uint64_t(Header->e_shnum) * sizeof(Elf64_Shdr) >
          File.Size)
    return;
  auto *Sections =
      reinterpret_cast<const Elf64_Shdr *>(File.Data + Header->e_shoff);
  const Elf64_Shdr *Table = nullptr;
  for (unsigned Pass = 0; Pass < 2 && !Table; ++Pass)
    for (unsigned I = 0; I < Header->e_shnum; ++I)
      if (Sections[I].sh_type == (Pass == 0 ? SHT_SYMTAB : SHT_DYNSYM))
        Table = &Sections[I];
  if (!Table || Table->sh_link >= Header->e_shnum)
    return;
  const Elf64_Shdr &Strings = Sections[Table->sh_link];
  if (Table->sh_offset + Table->sh_size > File.Size ||
      Strings.sh_offset + Strings.sh_size > File.Size)
    return;
  Names.assign(reinterpret_cast<const char *>(File.Data + Strings.sh_offset),
               Strings.sh_size);
  Names.push_back('\0');
  auto *Entries =
      reinterpret_cast<const Elf64_Sym *>(File.Data + Table->sh_offset);
  size_t Count = Table->sh_size / sizeof(Elf64_Sym);
  for (size_t I = 0; I < Count; ++I) {
    const Elf64_Sym &S = Entries[I];
    if (ELF64_ST_TYPE(S.st_info) != STT_FUNC || S.st_value == 0 ||
        S.st_name >= Strings.sh_size)
      continue;
    Symbols.push_back({S.st_value, S.st_size, S.st_name});
  }
  std::sort(Symbols.begin(), Symbols.end(),
            [](const Symbol &A, const Symbol &B) { return A.Start < B.Start; });
}

const char *ElfSymbols::find(uint64_t Address) const {
  auto It = std::upper_bound(
      Symbols.begin(), Symbols.end(), Address,
      [](uint64_t Value, const Symbol &S) { return Value < S.Start; });
  if (It == Symbols.begin())
    return nullptr;
  --It;
  if (Address >= It->Start + (It->Size ? It->Size : 1))
    return nullptr;
  return Names.c_str() + It->Name;
}

} // namespace stallhound::probe
