//===- Symbolizer.cpp - Names for raw addresses, off the hot path ---------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Symbolizer.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <dlfcn.h>
#include <link.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace stallhound::probe {

namespace {

/// g++ splits a coroutine into "f(args)::_Z...Frame*) [clone .actor]" and
/// "[clone .destroy]" functions; people (and the analyzer's reports) call it
/// "f". The name ends at the first '(' outside template arguments.
std::string coroutineName(std::string Name) {
  static const char *Suffixes[] = {"[clone .actor]", "[clone .destroy]"};
  bool Split = false;
  for (const char *Suffix : Suffixes) {
    size_t N = strlen(Suffix);
    Split |= Name.size() > N && Name.compare(Name.size() - N, N, Suffix) == 0;
  }
  if (!Split)
    return Name;
  int Depth = 0;
  for (size_t I = 0; I < Name.size(); ++I) {
    if (Name[I] == '<')
      ++Depth;
    else if (Name[I] == '>')
      --Depth;
    else if (Name[I] == '(' && Depth == 0)
      return Name.substr(0, I);
  }
  return Name;
}

std::string baseName(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? Path : Path.substr(Slash + 1);
}

bool startsWith(const std::string &S, const char *Prefix) {
  return S.compare(0, strlen(Prefix), Prefix) == 0;
}

struct BuildIdSearch {
  uintptr_t Base;
  std::string Hex;
};

int findBuildId(dl_phdr_info *Info, size_t, void *Data) {
  auto *Search = static_cast<BuildIdSearch *>(Data);
  if (Info->dlpi_addr != Search->Base) {
    // The main program of a non-PIE binary loads at 0: match by its headers.
    bool Contains = false;
    for (int I = 0; I < Info->dlpi_phnum && !Contains; ++I) {
      const ElfW(Phdr) &P = Info->dlpi_phdr[I];
      uintptr_t Begin = Info->dlpi_addr + P.p_vaddr;
      Contains =
          P.p_type == PT_LOAD && P.p_offset == 0 && Begin == Search->Base;
    }
    if (!Contains)
      return 0;
  }
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_NOTE)
      continue;
    const char *Note =
        reinterpret_cast<const char *>(Info->dlpi_addr + P.p_vaddr);
    const char *End = Note + P.p_memsz;
    while (Note + sizeof(ElfW(Nhdr)) <= End) {
      auto *Header = reinterpret_cast<const ElfW(Nhdr) *>(Note);
      const char *Name = Note + sizeof(ElfW(Nhdr));
      const char *Desc = Name + ((Header->n_namesz + 3) & ~3u);
      if (Header->n_type == NT_GNU_BUILD_ID && Header->n_namesz == 4 &&
          !memcmp(Name, "GNU", 4)) {
        static const char Digits[] = "0123456789abcdef";
        for (unsigned J = 0; J < Header->n_descsz; ++J) {
          Search->Hex += Digits[uint8_t(Desc[J]) >> 4];
          Search->Hex += Digits[uint8_t(Desc[J]) & 15];
        }
        return 1;
      }
      Note = Desc + ((Header->n_descsz + 3) & ~3u);
    }
  }
  return 1;
}

} // namespace

bool isLibraryModule(const std::string &Path) {
  if (Path.empty())
    return false;
  std::string Name = baseName(Path);
  static const char *const Libraries[] = {"libc.so",
                                          "libc-",
                                          "libm.so",
                                          "libpthread",
                                          "ld-linux",
                                          "libdl.so",
                                          "librt.so",
                                          "libstdc++",
                                          "libgcc_s",
                                          "libunwind",
                                          "libuv.so",
                                          "libevent",
                                          "libev.so",
                                          "libboost",
                                          "libpython",
                                          "libnode",
                                          "libstallhound-probe",
                                          "linux-vdso",
                                          "libssl",
                                          "libcrypto",
                                          "libjemalloc",
                                          "libtcmalloc",
                                          "libglib",
                                          "libgio"};
  for (const char *Library : Libraries)
    if (startsWith(Name, Library))
      return true;
  // CPython's extension modules (_asyncio, _socket, ...) are interpreter code.
  if (Path.find("/lib-dynload/") != std::string::npos ||
      Name.find(".cpython-") != std::string::npos)
    return true;
  static const char *const Interpreters[] = {"python", "node", "ruby",
                                             "perl",   "java", "lua"};
  for (const char *Interpreter : Interpreters)
    if (startsWith(Name, Interpreter))
      return true;
  return false;
}

bool isLibraryFunction(const std::string &Name) {
  static const char *const Prefixes[] = {
      "std::",       "__gnu_cxx::",  "boost::",
      "asio::",      "__libc_",      "__GI_",
      "_start",      "__restore_rt", "start_thread",
      "clone",       "uv_",          "uv__",
      "event_base_", "aeMain",       "aeProcessEvents",
      "__cxa_",      "_Unwind_"};
  for (const char *Prefix : Prefixes)
    if (startsWith(Name, Prefix))
      return true;
  return false;
}

const FrameInfo &Symbolizer::lookup(uintptr_t Address, bool IsReturnAddress) {
  refreshPerfMap();
  auto It = Cache.find(Address);
  if (It != Cache.end())
    return It->second;
  return Cache.emplace(Address, resolve(Address, IsReturnAddress))
      .first->second;
}

void Symbolizer::refreshPerfMap() {
  timespec Now;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &Now);
  uint64_t NowNs = uint64_t(Now.tv_sec) * 1000000000u + uint64_t(Now.tv_nsec);
  if (PerfMapCheckedNs && NowNs - PerfMapCheckedNs < 100000000u)
    return;
  PerfMapCheckedNs = NowNs;
  char Path[64];
  snprintf(Path, sizeof(Path), "/tmp/perf-%d.map", int(getpid()));
  if (!JitNames.refresh(Path))
    return;
  for (auto It = Cache.begin(); It != Cache.end();)
    It = It->second.Module.empty() ? Cache.erase(It) : std::next(It);
}

void Symbolizer::clear() {
  Cache.clear();
  BuildIds.clear();
  FileSymbols.clear();
  JitNames.clear();
  PerfMapCheckedNs = 0;
  MainExe.clear();
}

const std::string &Symbolizer::buildIdOf(uintptr_t Base) {
  auto It = BuildIds.find(Base);
  if (It != BuildIds.end())
    return It->second;
  BuildIdSearch Search{Base, {}};
  dl_iterate_phdr(findBuildId, &Search);
  return BuildIds.emplace(Base, Search.Hex).first->second;
}

FrameInfo Symbolizer::resolve(uintptr_t Address, bool IsReturnAddress) {
  FrameInfo Info;
  uintptr_t Lookup = IsReturnAddress && Address ? Address - 1 : Address;
  Dl_info Dl;
  link_map *Map = nullptr;
  if (dladdr1(reinterpret_cast<void *>(Lookup), &Dl,
              reinterpret_cast<void **>(&Map), RTLD_DL_LINKMAP) &&
      Dl.dli_fbase) {
    uintptr_t Base = reinterpret_cast<uintptr_t>(Dl.dli_fbase);
    // The link-time address: what addr2line -e MODULE takes, for PIE and
    // non-PIE modules alike.
    Info.Offset = Address - (Map ? Map->l_addr : Base);
    Info.Module = Dl.dli_fname ? Dl.dli_fname : "";
    // The main program has an empty link-map name; dladdr shows it as "" or
    // as argv[0], which servers like redis rewrite.
    if (!Map || !Map->l_name || !Map->l_name[0]) {
      if (MainExe.empty()) {
        char Exe[4096];
        ssize_t N = readlink("/proc/self/exe", Exe, sizeof(Exe) - 1);
        MainExe = N > 0 ? std::string(Exe, size_t(N)) : "";
      }
      Info.Module = MainExe;
    }
    Info.BuildId = buildIdOf(Base);
    const char *Symbol = Dl.dli_sname;
    if (!Symbol && Map) {
      // Static functions and programs without -rdynamic: read the file.
      std::unique_ptr<ElfSymbols> &Table = FileSymbols[Info.Module];
      if (!Table)
        Table = std::make_unique<ElfSymbols>(Info.Module);
      Symbol = Table->find(Lookup - Map->l_addr);
    }
    if (Symbol) {
      int Status = 0;
      char *Demangled = abi::__cxa_demangle(Symbol, nullptr, nullptr, &Status);
      Info.Function =
          coroutineName(Status == 0 && Demangled ? Demangled : Symbol);
      Info.Language = strncmp(Symbol, "_Z", 2) == 0 ? "c++" : "c";
      free(Demangled);
    } else {
      Info.Language = "unknown";
    }
    Info.IsOwnCode = !Info.Function.empty() && !isLibraryModule(Info.Module) &&
                     !isLibraryFunction(Info.Function);
    return Info;
  }
  if (const std::string *Mapped = JitNames.find(Lookup)) {
    // "JS:*handler file:///x.js:3:20" or "LazyCompile:~handler /x.js:3"
    std::string Name = *Mapped;
    size_t Colon = Name.find(':');
    if (Colon != std::string::npos && Colon < 16 && Name.find(' ') > Colon)
      Name = Name.substr(Colon + 1);
    // V8's tier: ~ interpreted, ^ baseline, + Maglev, * optimized.
    if (!Name.empty() && strchr("~^+*", Name[0]))
      Name = Name.substr(1);
    // V8's builtins and generated trampolines are the runtime's code, not
    // the program's; so is node's own JavaScript (node:internal/...).
    size_t Space = Name.find(' ');
    Info.IsOwnCode =
        Space != std::string::npos && Name.find("node:") == std::string::npos;
    if (Space != std::string::npos) {
      std::string Location = Name.substr(Space + 1);
      if (Location.compare(0, 7, "file://") == 0)
        Location.erase(0, 7);
      // FILE:LINE or FILE:LINE:COLUMN
      size_t Last = Location.rfind(':');
      size_t Previous =
          Last == std::string::npos ? Last : Location.rfind(':', Last - 1);
      if (Previous != std::string::npos &&
          Location.find_first_not_of("0123456789", Previous + 1) == Last) {
        Info.Line = unsigned(atoi(Location.c_str() + Previous + 1));
        Location.erase(Previous);
      } else if (Last != std::string::npos) {
        Info.Line = unsigned(atoi(Location.c_str() + Last + 1));
        Location.erase(Last);
      }
      Info.File = Location;
      Name.erase(Space);
    }
    Info.Function = Name.empty() ? "(anonymous)" : Name;
    Info.Language = "javascript";
    Info.Offset = Address;
    return Info;
  }
  Info.Offset = Address;
  Info.Language = "unknown";
  return Info;
}

} // namespace stallhound::probe
