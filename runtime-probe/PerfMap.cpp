//===- PerfMap.cpp - Names of JIT code from /tmp/perf-PID.map -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PerfMap.h"

#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <sys/stat.h>

namespace stallhound::probe {

void PerfMap::add(uintptr_t Start, uintptr_t Size, std::string Name) {
  if (Size == 0)
    return;
  uintptr_t End = Start + Size;
  auto It = Entries.lower_bound(Start);
  if (It != Entries.begin()) {
    auto Before = std::prev(It);
    if (Before->first + Before->second.Size > Start)
      Before->second.Size = Start - Before->first; // only its head survives
  }
  while (It != Entries.end() && It->first < End)
    It = Entries.erase(It);
  Entries[Start] = {Size, std::move(Name)};
}

const std::string *PerfMap::find(uintptr_t Address) const {
  auto It = Entries.upper_bound(Address);
  if (It == Entries.begin())
    return nullptr;
  --It;
  if (Address >= It->first + It->second.Size)
    return nullptr;
  return &It->second.Name;
}

void PerfMap::clear() {
  Entries.clear();
  ReadUpTo = 0;
  Inode = 0;
}

bool PerfMap::refresh(const char *Path) {
  struct stat St;
  if (stat(Path, &St) != 0)
    return false;
  if (St.st_ino != Inode || St.st_size < ReadUpTo) {
    bool Had = !Entries.empty();
    clear();
    Inode = St.st_ino;
    if (St.st_size == 0)
      return Had;
  }
  if (St.st_size == ReadUpTo)
    return false;
  FILE *F = fopen(Path, "re");
  if (!F)
    return false;
  bool Changed = false;
  char *Line = nullptr;
  size_t Capacity = 0;
  ssize_t Length;
  if (fseek(F, ReadUpTo, SEEK_SET) == 0) {
    while ((Length = getline(&Line, &Capacity, F)) > 0) {
      if (Line[Length - 1] != '\n')
        break; // being written: read it next time
      ReadUpTo += long(Length);
      char *End = nullptr;
      uintptr_t Start = strtoull(Line, &End, 16);
      uintptr_t Size = strtoull(End, &End, 16);
      while (*End == ' ')
        ++End;
      const char *NameEnd = Line + Length - 1; // before the newline
      std::string Name(End < NameEnd ? End : NameEnd, NameEnd);
      add(Start, Size, std::move(Name));
      Changed = true;
    }
  }
  free(Line);
  fclose(F);
  return Changed;
}

} // namespace stallhound::probe
