//===- CommandAdjuster.cpp - Make any compile command parse with clang ----===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "CommandAdjuster.h"

#include "clang/Driver/Options.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Option/Option.h"

#include <algorithm>
#include <fstream>
#include <regex>

namespace stallhound {

namespace {

bool startsWith(const std::string &S, const char *Prefix) {
  return S.rfind(Prefix, 0) == 0;
}

bool defines(const std::vector<std::string> &Args, const std::string &Macro) {
  for (size_t I = 0; I < Args.size(); ++I) {
    std::string Def;
    if (Args[I] == "-D" && I + 1 < Args.size())
      Def = Args[I + 1];
    else if (startsWith(Args[I], "-D"))
      Def = Args[I].substr(2);
    if (Def == Macro || startsWith(Def, (Macro + "=").c_str()))
      return true;
  }
  return false;
}

std::vector<std::string> includeDirs(const std::vector<std::string> &Args,
                                     const std::string &Directory) {
  std::vector<std::string> Dirs;
  auto Add = [&](std::string Dir) {
    if (!Dir.empty() && Dir[0] != '/' && !Directory.empty())
      Dir = Directory + "/" + Dir;
    Dirs.push_back(std::move(Dir));
  };
  for (size_t I = 0; I < Args.size(); ++I)
    for (const char *Flag : {"-I", "-isystem", "-idirafter", "-iquote"}) {
      if (Args[I] == Flag && I + 1 < Args.size())
        Add(Args[I + 1]);
      else if (startsWith(Args[I], Flag) && Args[I] != Flag)
        Add(Args[I].substr(std::string(Flag).size()));
    }
  Dirs.push_back("/usr/local/include");
  Dirs.push_back("/usr/include");
  return Dirs;
}

/// Indexes of arguments that clang's driver does not know (gcc-only flags).
std::set<size_t> unknownArguments(const std::vector<std::string> &Args) {
  std::vector<const char *> Argv;
  for (size_t I = 1; I < Args.size(); ++I)
    Argv.push_back(Args[I].c_str());
  const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Parsed = Table.ParseArgs(
      Argv, MissingIndex, MissingCount,
      llvm::opt::Visibility(clang::driver::options::ClangOption));
  std::set<size_t> Unknown;
  for (const llvm::opt::Arg *A : Parsed)
    if (A->getOption().getKind() == llvm::opt::Option::UnknownClass)
      Unknown.insert(A->getIndex() + 1);
  return Unknown;
}

} // namespace

CommandAdjuster::CommandAdjuster(std::string ResourceDir)
    : ResourceDir(std::move(ResourceDir)) {}

bool CommandAdjuster::noteOnce(const std::string &Text) {
  if (!NotesGiven.insert(Text).second)
    return false;
  Notes.push_back(Text);
  return true;
}

std::vector<std::string> CommandAdjuster::absorb(
    const std::vector<std::string> &OtherNotes,
    const std::map<std::string, std::string> &OtherInjections) {
  std::vector<std::string> New;
  for (const std::string &Note : OtherNotes)
    if (noteOnce(Note))
      New.push_back(Note);
  InjectionNotes.insert(OtherInjections.begin(), OtherInjections.end());
  return New;
}

std::optional<long>
CommandAdjuster::headerVersion(const std::vector<std::string> &IncludeDirs,
                               const std::string &Header,
                               const std::string &Macro) {
  for (const std::string &Dir : IncludeDirs) {
    std::string Path = Dir + "/" + Header;
    auto Cached = VersionCache.find(Path);
    if (Cached == VersionCache.end()) {
      std::optional<long> Version;
      std::ifstream In(Path);
      std::string Line;
      std::regex Define("^\\s*#\\s*define\\s+" + Macro + "\\s+([0-9]+)");
      std::smatch M;
      while (In && std::getline(In, Line))
        if (std::regex_search(Line, M, Define)) {
          Version = std::stol(M[1]);
          break;
        }
      Cached = VersionCache.emplace(Path, Version).first;
    }
    if (Cached->second)
      return Cached->second;
  }
  return std::nullopt;
}

std::string CommandAdjuster::injectionNote(const std::string &Library) const {
  auto It = InjectionNotes.find(Library);
  return It == InjectionNotes.end() ? "" : It->second;
}

std::vector<std::string>
CommandAdjuster::adjust(const std::vector<std::string> &Args,
                        const std::string &Directory) {
  std::set<size_t> Unknown = unknownArguments(Args);
  // Clang's interpolation for files outside the database ends the options
  // with "--": what follows it are inputs.
  size_t EndOfOptions =
      std::find(Args.begin(), Args.end(), "--") - Args.begin();
  std::vector<std::string> Out;
  for (size_t I = 0; I < EndOfOptions; ++I) {
    if (Unknown.count(I)) {
      noteOnce("ignoring option '" + Args[I] + "' that clang does not know");
      continue;
    }
    Out.push_back(Args[I]);
    if (I == 0) // after the compiler, as clang-tidy's --extra-arg-before
      Out.insert(Out.end(), ExtraBefore.begin(), ExtraBefore.end());
  }
  Out.insert(Out.end(), ExtraAfter.begin(), ExtraAfter.end());
  bool HasResourceDir = false;
  for (const std::string &A : Out)
    HasResourceDir |= A == "-resource-dir" || startsWith(A, "-resource-dir=");
  if (!HasResourceDir && !ResourceDir.empty())
    Out.push_back("-resource-dir=" + ResourceDir);

  std::vector<std::string> Dirs = includeDirs(Out, Directory);
  if (auto Boost = headerVersion(Dirs, "boost/version.hpp", "BOOST_VERSION");
      Boost && *Boost < 107700 && !defines(Out, "BOOST_ASIO_HAS_CO_AWAIT")) {
    Out.push_back("-DBOOST_ASIO_HAS_CO_AWAIT=1");
    InjectionNotes["boost-asio"] =
        ("added -DBOOST_ASIO_HAS_CO_AWAIT=1: Boost " +
         std::to_string(*Boost / 100000) + "." +
         std::to_string(*Boost / 100 % 1000) +
         " (< 1.77) hides asio's coroutine API from clang");
  }
  if (auto Asio = headerVersion(Dirs, "asio/version.hpp", "ASIO_VERSION");
      Asio && *Asio < 102900 && !defines(Out, "ASIO_HAS_CO_AWAIT")) {
    Out.push_back("-DASIO_HAS_CO_AWAIT");
    Out.push_back("-DASIO_HAS_STD_COROUTINE");
    InjectionNotes["asio"] =
        ("added -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE: asio " +
         std::to_string(*Asio / 100000) + "." +
         std::to_string(*Asio / 100 % 1000) + "." +
         std::to_string(*Asio % 100) + " hides its coroutine API from clang");
  }
  // Warnings are not findings; -Werror must not turn them into parse failures.
  Out.push_back("-Wno-error");
  Out.push_back("-w");
  Out.insert(Out.end(), Args.begin() + EndOfOptions, Args.end());
  return Out;
}

} // namespace stallhound
