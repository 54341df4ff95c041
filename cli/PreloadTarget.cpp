//===- PreloadTarget.cpp - Can the probe be preloaded into a command? -----===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PreloadTarget.h"

#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace stallhound {

namespace {

/// The kernel follows at most this many `#!` interpreters in a row.
constexpr int MaxInterpreterDepth = 4;

bool isExecutableFile(const std::string &Path) {
  struct stat St;
  return stat(Path.c_str(), &St) == 0 && S_ISREG(St.st_mode) &&
         access(Path.c_str(), X_OK) == 0;
}

/// Name as execvp finds it: a name with a slash as is, else the first
/// executable file on PATH (glibc's default when PATH is unset).
std::string findOnPath(const std::string &Name) {
  if (Name.find('/') != std::string::npos)
    return Name;
  const char *Path = getenv("PATH");
  std::string Dirs = Path ? Path : "/bin:/usr/bin";
  size_t Start = 0;
  for (;;) {
    size_t End = Dirs.find(':', Start);
    std::string Dir = Dirs.substr(Start, End - Start);
    std::string Candidate = (Dir.empty() ? "." : Dir) + "/" + Name;
    if (isExecutableFile(Candidate))
      return Candidate;
    if (End == std::string::npos)
      return "";
    Start = End + 1;
  }
}

/// The program a `#!` line runs: its interpreter, or for
/// `#!/usr/bin/env NAME` the NAME env finds on PATH. Empty when File is not
/// a script, or when the line is one this check does not follow (env
/// options).
std::string interpreterOf(const std::string &File) {
  int Fd = open(File.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return "";
  char Head[256];
  ssize_t Size = read(Fd, Head, sizeof(Head) - 1);
  close(Fd);
  if (Size < 2 || Head[0] != '#' || Head[1] != '!')
    return "";
  std::string Line(Head + 2, size_t(Size - 2));
  Line = Line.substr(0, Line.find('\n'));
  const char *Blanks = " \t\r";
  size_t NameStart = Line.find_first_not_of(Blanks);
  if (NameStart == std::string::npos)
    return "";
  size_t NameEnd = Line.find_first_of(Blanks, NameStart);
  std::string Interpreter = Line.substr(NameStart, NameEnd - NameStart);
  size_t ArgStart = NameEnd == std::string::npos
                        ? std::string::npos
                        : Line.find_first_not_of(Blanks, NameEnd);
  std::string Arg;
  if (ArgStart != std::string::npos)
    Arg =
        Line.substr(ArgStart, Line.find_first_of(Blanks, ArgStart) - ArgStart);
  if (Interpreter.size() >= 4 &&
      Interpreter.compare(Interpreter.size() - 4, 4, "/env") == 0) {
    if (Arg.empty() || Arg[0] == '-' || Arg.find('=') != std::string::npos)
      return "";
    return findOnPath(Arg);
  }
  return Interpreter;
}

/// An ELF program without PT_INTERP (static-pie included). False for a
/// dynamically linked file and for one that is not ELF.
bool isStaticElf(const std::string &File) {
  int Fd = open(File.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return false;
  Elf64_Ehdr Header;
  bool Static = false;
  if (pread(Fd, &Header, sizeof(Header), 0) == ssize_t(sizeof(Header)) &&
      memcmp(Header.e_ident, ELFMAG, SELFMAG) == 0 &&
      (Header.e_type == ET_EXEC || Header.e_type == ET_DYN)) {
    bool Is64 = Header.e_ident[EI_CLASS] == ELFCLASS64;
    // The 32-bit header has the same fields, narrower, at other offsets.
    auto *Header32 = reinterpret_cast<const Elf32_Ehdr *>(&Header);
    uint64_t Offset = Is64 ? Header.e_phoff : Header32->e_phoff;
    unsigned Count = Is64 ? Header.e_phnum : Header32->e_phnum;
    unsigned Size = Is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    bool HasInterpreter = false;
    bool ReadAll = Count > 0;
    for (unsigned I = 0; I < Count && !HasInterpreter; ++I) {
      uint32_t Type;
      if (pread(Fd, &Type, sizeof(Type), off_t(Offset + uint64_t(I) * Size)) !=
          ssize_t(sizeof(Type))) {
        ReadAll = false;
        break;
      }
      HasInterpreter = Type == PT_INTERP;
    }
    Static = ReadAll && !HasInterpreter;
  }
  close(Fd);
  return Static;
}

std::string userName(uid_t Uid) {
  if (const passwd *User = getpwuid(Uid))
    return User->pw_name;
  return "uid " + std::to_string(Uid);
}

std::string groupName(gid_t Gid) {
  if (const group *Group = getgrgid(Gid))
    return Group->gr_name;
  return "gid " + std::to_string(Gid);
}

/// What makes the loader run File in secure mode (AT_SECURE) for this user,
/// or empty. A file system mounted nosuid ignores all of it.
std::string secureModeReason(const std::string &File) {
  struct stat St;
  struct statvfs Mount;
  if (stat(File.c_str(), &St) != 0 ||
      (statvfs(File.c_str(), &Mount) == 0 && (Mount.f_flag & ST_NOSUID)))
    return "";
  if ((St.st_mode & S_ISUID) && St.st_uid != getuid())
    return "set-user-ID (owner " + userName(St.st_uid) + ")";
  if ((St.st_mode & S_ISGID) && (St.st_mode & S_IXGRP) && St.st_gid != getgid())
    return "set-group-ID (group " + groupName(St.st_gid) + ")";
  if (getxattr(File.c_str(), "security.capability", nullptr, 0) > 0)
    return "given file capabilities";
  return "";
}

} // namespace

std::string loadedProgram(const std::string &Command) {
  std::string File = findOnPath(Command);
  if (File.empty() || !isExecutableFile(File))
    return "";
  for (int Depth = 0; Depth < MaxInterpreterDepth; ++Depth) {
    std::string Interpreter = interpreterOf(File);
    if (Interpreter.empty())
      break;
    File = Interpreter;
  }
  return File;
}

std::string preloadObstacle(const std::string &Command) {
  // Set-user-ID bits of a script are ignored by the kernel: only the
  // interpreter's count.
  std::string File = loadedProgram(Command);
  if (File.empty())
    return "";
  if (isStaticElf(File))
    return File + " is statically linked (no PT_INTERP): the dynamic loader "
                  "never runs, so LD_PRELOAD cannot load the probe";
  std::string Secure = secureModeReason(File);
  if (!Secure.empty())
    return File + " is " + Secure +
           ": the dynamic loader runs it in secure mode and ignores "
           "LD_PRELOAD given by path, so the probe cannot load";
  return "";
}

} // namespace stallhound
