//===- LaunchedCompile.cpp - check as a compiler launcher -----------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "LaunchedCompile.h"

#include "InputFiles.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>

namespace stallhound {

namespace {

bool isLauncher(llvm::StringRef Program) {
  llvm::StringRef Name = llvm::sys::path::filename(Program);
  for (const char *Known :
       {"ccache", "sccache", "distcc", "icecc", "buildcache"})
    if (Name == Known)
      return true;
  return false;
}

/// Options of GCC and Clang whose value is the next argument, so that a
/// value is never taken for a source file.
bool takesSeparateValue(llvm::StringRef Arg) {
  for (const char *Option : {"-o",
                             "-MF",
                             "-MT",
                             "-MQ",
                             "-include",
                             "-imacros",
                             "-isystem",
                             "-I",
                             "-iquote",
                             "-idirafter",
                             "-isysroot",
                             "--sysroot",
                             "-D",
                             "-U",
                             "-x",
                             "-Xclang",
                             "-Xpreprocessor",
                             "-Xassembler",
                             "-Xlinker",
                             "-target",
                             "-arch",
                             "-L",
                             "-l",
                             "-include-pch",
                             "-main-file-name"})
    if (Arg == Option)
      return true;
  return false;
}

} // namespace

LaunchedCompile describeCompile(const std::vector<std::string> &Command) {
  LaunchedCompile Compile;
  size_t First = 0;
  // `ccache c++ ...`; a launcher alone (`ccache -s`) is no compile.
  while (First + 1 < Command.size() && isLauncher(Command[First]))
    ++First;
  Compile.Command.assign(Command.begin() + First, Command.end());
  bool Compiles = false;
  std::string Object;
  for (size_t I = 1; I < Compile.Command.size(); ++I) {
    llvm::StringRef Arg = Compile.Command[I];
    if (Arg == "-c")
      Compiles = true;
    if (Arg == "-o" && I + 1 < Compile.Command.size())
      Object = Compile.Command[I + 1];
    else if (Arg.starts_with("-o") && Arg.size() > 2)
      Object = Arg.drop_front(2).str();
    if (takesSeparateValue(Arg)) {
      ++I;
      continue;
    }
    if (!Arg.starts_with("-") && isCOrCxxSource(Arg))
      Compile.Sources.push_back(Arg.str());
  }
  if (!Compiles) // a link names its sources only in unusual builds
    Compile.Sources.clear();
  Compile.ObjectDir = llvm::sys::path::parent_path(Object).str();
  if (Compile.ObjectDir.empty())
    Compile.ObjectDir = ".";
  return Compile;
}

int runCompile(const std::vector<std::string> &Command) {
  if (Command.empty())
    return 127;
  std::vector<char *> Argv;
  for (const std::string &A : Command)
    Argv.push_back(const_cast<char *>(A.c_str()));
  Argv.push_back(nullptr);
  pid_t Child = fork();
  if (Child < 0) {
    std::cerr << "stallhound: error: cannot start " << Command[0] << ": "
              << std::strerror(errno) << "\n";
    return 127;
  }
  if (Child == 0) {
    execvp(Argv[0], Argv.data());
    std::cerr << "stallhound: error: cannot run " << Command[0] << ": "
              << std::strerror(errno) << "\n";
    _exit(127);
  }
  int Status = 0;
  while (waitpid(Child, &Status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
}

} // namespace stallhound
