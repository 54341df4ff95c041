//===- ParallelAnalysis.cpp - Phase 1 over many TUs, with a cache ---------===//

#include "ParallelAnalysis.h"

#include "TuRunner.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace stallhound {

std::string commandKey(const clang::tooling::CompilationDatabase &DB,
                       const std::string &File) {
  std::string Key = File;
  for (const auto &Command : DB.getCompileCommands(File)) {
    Key += "\n" + Command.Directory + "\n";
    for (const std::string &Arg : Command.CommandLine)
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
  std::atomic<size_t> Next{0};
  size_t Done = 0;
  std::mutex ProgressLock;

  auto Worker = [&] {
    for (size_t I; (I = Next.fetch_add(1)) < Files.size();) {
      const Config &Cfg = Configs.forFile(Files[I]);
      const std::string &HeaderFilter = Options.HeaderFilter.empty()
                                            ? Cfg.HeaderFilter
                                            : Options.HeaderFilter;
      std::string Key = Options.Cache
                            ? Cfg.Path + "\n" + Cfg.Rules.fingerprint() + "\n" +
                                  HeaderFilter + "\n" + commandKey(DB, Files[I])
                            : "";
      std::optional<TuFacts> Cached;
      if (Options.Cache)
        Cached = Options.Cache->lookup(Key);
      if (Cached) {
        Units[I] = std::move(*Cached);
      } else {
        Units[I] = extractFacts(DB, Files[I], Cfg, Adjuster, HeaderFilter);
        if (Options.Cache)
          Options.Cache->store(Key, Units[I]);
      }
      if (Options.Progress) {
        std::lock_guard<std::mutex> Guard(ProgressLock);
        Options.Progress(++Done, Files.size(), Files[I]);
      }
    }
  };

  unsigned Threads =
      std::max(1u, std::min<unsigned>(Options.Jobs, Files.size()));
  std::vector<std::thread> Pool;
  for (unsigned T = 1; T < Threads; ++T)
    Pool.emplace_back(Worker);
  Worker();
  for (std::thread &T : Pool)
    T.join();
  return Units;
}

} // namespace stallhound
