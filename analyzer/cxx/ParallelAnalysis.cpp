//===- ParallelAnalysis.cpp - Phase 1 over many TUs, with a cache ---------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ParallelAnalysis.h"

#include "ChildProcesses.h"
#include "TuRunner.h"

#include "llvm/ADT/StringRef.h"

#include <cerrno>
#include <cstdlib>
#include <unistd.h>

namespace stallhound {

namespace {

void writeAll(int Fd, const std::string &Text) {
  const char *At = Text.data();
  size_t Left = Text.size();
  while (Left) {
    ssize_t N = ::write(Fd, At, Left);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return; // the parent is gone
    At += N;
    Left -= static_cast<size_t>(N);
  }
}

/// In the child: the facts, and what the adjuster said while making them.
void analyzeInChild(int ResultFd, const clang::tooling::CompilationDatabase &DB,
                    const std::string &File, const Config &Cfg,
                    CommandAdjuster &Adjuster,
                    const std::string &HeaderFilter) {
  // Test-only: an internal error on one file, to show it costs that file
  // only (test/check/crash-isolation.test).
  if (const char *Crash = std::getenv("STALLHOUND_TEST_CRASH_ON");
      Crash && *Crash && llvm::StringRef(File).ends_with(Crash))
    *static_cast<volatile int *>(nullptr) = 1; // a real fault, as a bug makes
  TuFacts Facts = extractFacts(DB, File, Cfg, Adjuster, HeaderFilter);
  nlohmann::json Message = {{"facts", toJson(Facts)},
                            {"inputs", Facts.Inputs},
                            {"notes", Adjuster.notes()},
                            {"injections", Adjuster.injectionNotes()}};
  writeAll(ResultFd, Message.dump());
}

/// In the parent: the child's facts, or why there are none.
TuFacts decodeChild(const std::string &File, ChildOutcome Outcome,
                    CommandAdjuster &Adjuster, const AnalysisOptions &Options) {
  TuFacts Facts;
  std::string Why = Outcome.failure();
  if (Why.empty()) {
    try {
      nlohmann::json Message = nlohmann::json::parse(Outcome.Output);
      Facts = tuFactsFromJson(Message.at("facts"));
      Facts.Inputs = Message.at("inputs").get<std::vector<std::string>>();
      for (const std::string &Note :
           Adjuster.absorb(Message.at("notes").get<std::vector<std::string>>(),
                           Message.at("injections")
                               .get<std::map<std::string, std::string>>()))
        if (Options.Note)
          Options.Note(Note);
    } catch (const std::exception &) {
      Facts = TuFacts();
      Why = "no result from its process";
    }
  }
  Facts.MainFile = File;
  Facts.CpuSeconds = Outcome.CpuSeconds;
  Facts.PeakRssKb = Outcome.PeakRssKb;
  Facts.Diagnostics = std::move(Outcome.Stderr);
  if (Why.empty())
    return Facts;
  if (Facts.Diagnostics.find("out of memory") != std::string::npos ||
      Facts.Diagnostics.find("bad_alloc") != std::string::npos)
    Why = "out of memory";
  if (Options.MemoryLimit && Why == "out of memory")
    Why += " (limit " + std::to_string(Options.MemoryLimit >> 20) + " MB)";
  Facts.Errors.push_back(
      {{File, 0, 0},
       "stallhound crashed on this file (internal error: " + Why + ")",
       TuError::Kind::Crash});
  return Facts;
}

} // namespace

std::string commandKey(const clang::tooling::CompilationDatabase &DB,
                       const std::string &File) {
  std::string Key = File;
  std::vector<clang::tooling::CompileCommand> Commands =
      DB.getCompileCommands(File);
  if (!Commands.empty()) {
    Key += "\n" + Commands.front().Directory + "\n";
    for (const std::string &Arg : Commands.front().CommandLine)
      Key += Arg + '\0';
  }
  return Key;
}

std::vector<TuFacts> analyzeFiles(const clang::tooling::CompilationDatabase &DB,
                                  const std::vector<std::string> &Files,
                                  ConfigResolver &Configs,
                                  CommandAdjuster &Adjuster,
                                  const AnalysisOptions &Options) {
  std::vector<TuFacts> Units(Files.size());
  std::vector<std::string> CacheKeys(Files.size());
  size_t Done = 0;
  auto Finished = [&](size_t I) {
    if (Options.Progress)
      Options.Progress(++Done, Files.size(), Files[I]);
  };
  auto HeaderFilterOf = [&](const Config &Cfg) -> const std::string & {
    return Options.HeaderFilter.empty() ? Cfg.HeaderFilter
                                        : Options.HeaderFilter;
  };

  ChildProcesses Children(Options.MemoryLimit);
  size_t Next = 0;
  unsigned Jobs = std::max(1u, Options.Jobs);
  while (Next < Files.size() || Children.running()) {
    while (Children.running() < Jobs && Next < Files.size()) {
      size_t I = Next++;
      const Config &Cfg = Configs.forFile(Files[I]);
      if (Options.Cache) {
        CacheKeys[I] = Cfg.Path + "\n" + Cfg.Rules.fingerprint() + "\n" +
                       HeaderFilterOf(Cfg) + "\n" + commandKey(DB, Files[I]);
        if (std::optional<TuFacts> Cached =
                Options.Cache->lookup(CacheKeys[I])) {
          Units[I] = std::move(*Cached);
          Finished(I);
          continue;
        }
      }
      Children.start(I, [&](int ResultFd) {
        analyzeInChild(ResultFd, DB, Files[I], Cfg, Adjuster,
                       HeaderFilterOf(Cfg));
      });
    }
    if (!Children.running())
      continue;
    auto [I, Outcome] = Children.waitAny();
    Units[I] = decodeChild(Files[I], std::move(Outcome), Adjuster, Options);
    if (Options.Cache)
      Options.Cache->store(CacheKeys[I], Units[I]);
    Finished(I);
  }
  return Units;
}

} // namespace stallhound
