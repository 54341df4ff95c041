//===- PythonAnalysis.cpp - Phase 1 over Python sources -------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonAnalysis.h"

#include "FactsCache.h"
#include "PythonFactExtractor.h"
#include "PythonModules.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>

namespace stallhound::python {

namespace {

bool isSkippedDirectory(llvm::StringRef Name) {
  static const std::set<std::string> Skipped = {
      ".venv",       "venv",         "site-packages", "dist-packages",
      "__pycache__", ".git",         ".hg",           ".svn",
      ".tox",        ".nox",         ".mypy_cache",   ".pytest_cache",
      ".ruff_cache", "node_modules", ".eggs",         "__pypackages__"};
  return Skipped.count(Name.str()) != 0;
}

bool isExcluded(const std::string &Path, ConfigResolver &Configs) {
  for (const std::string &Pattern : Configs.forFile(Path).Exclude)
    if (globMatch(Pattern, Path))
      return true;
  return false;
}

void walk(const std::string &Dir, ConfigResolver &Configs,
          std::vector<std::string> &Out) {
  std::error_code EC;
  std::vector<std::string> Entries;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; !EC && It != End;
       It.increment(EC))
    Entries.push_back(It->path());
  std::sort(Entries.begin(), Entries.end());
  for (const std::string &Entry : Entries) {
    llvm::StringRef Name = llvm::sys::path::filename(Entry);
    llvm::sys::fs::file_status Status;
    if (llvm::sys::fs::status(Entry, Status))
      continue; // a dangling symlink
    if (llvm::sys::fs::is_directory(Status)) {
      if (!isSkippedDirectory(Name) && !isExcluded(Entry + "/", Configs))
        walk(Entry, Configs, Out);
    } else if (Name.ends_with(".py") && !isExcluded(Entry, Configs)) {
      Out.push_back(Entry);
    }
  }
}

std::string absolute(const std::string &Path) {
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

} // namespace

bool isPythonInput(const std::string &Argument) {
  // A missing path with no extension was meant as a directory.
  return isPythonSource(Argument) || llvm::sys::fs::is_directory(Argument) ||
         (!llvm::sys::fs::exists(Argument) &&
          !llvm::sys::path::has_extension(Argument));
}

std::vector<std::string> findPythonFiles(const std::vector<std::string> &Args,
                                         ConfigResolver &Configs) {
  std::vector<std::string> Out;
  for (const std::string &Arg : Args) {
    std::string Path = absolute(Arg);
    if (llvm::sys::fs::is_directory(Path))
      walk(Path, Configs, Out);
    else if (llvm::sys::fs::exists(Path))
      Out.push_back(Path);
    else
      throw std::runtime_error(Arg + ": no such file or directory");
  }
  std::sort(Out.begin(), Out.end());
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
  return Out;
}

std::vector<TuFacts> analyzePythonFiles(const std::vector<std::string> &Files,
                                        ConfigResolver &Configs, unsigned Jobs,
                                        const FactsCache *Cache) {
  std::vector<TuFacts> Out(Files.size());
  std::vector<const Config *> ConfigOf(Files.size());
  for (size_t I = 0; I < Files.size(); ++I)
    ConfigOf[I] = &Configs.forFile(Files[I]); // errors stop the run here
  std::atomic<size_t> Next{0};
  auto Work = [&] {
    for (size_t I; (I = Next++) < Files.size();) {
      const Config &Cfg = *ConfigOf[I];
      std::string Key;
      if (Cache) {
        // The module a file defines follows from the __init__.py files
        // around it: part of what the facts depend on.
        ModuleInfo Module = moduleOf(Files[I]);
        Key = "python\n" + Files[I] + "\n" + Module.Name + "\n" + Module.Root +
              "\n" + Cfg.Path + "\n" + Cfg.PythonRules.fingerprint();
        if (std::optional<TuFacts> Cached = Cache->lookup(Key)) {
          Out[I] = std::move(*Cached);
          continue;
        }
      }
      Out[I] = extractPythonFacts(Files[I], Cfg);
      Out[I].Inputs = {Files[I]};
      if (Cache)
        Cache->store(Key, Out[I]);
    }
  };
  unsigned Threads = std::max(
      1u, std::min<unsigned>(Jobs, static_cast<unsigned>(Files.size())));
  std::vector<std::thread> Pool;
  for (unsigned T = 1; T < Threads; ++T)
    Pool.emplace_back(Work);
  Work();
  for (std::thread &T : Pool)
    T.join();
  return Out;
}

} // namespace stallhound::python
