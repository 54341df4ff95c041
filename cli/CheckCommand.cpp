//===- CheckCommand.cpp - stallhound check --------------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "CommandSupport.h"
#include "Commands.h"

#include "Baseline.h"
#include "CommandAdjuster.h"
#include "Facts.h"
#include "FactsCache.h"
#include "FindingPrinter.h"
#include "Findings.h"
#include "InputFiles.h"
#include "Installation.h"
#include "JsonText.h"
#include "LaunchedCompile.h"
#include "ParallelAnalysis.h"
#include "PythonAnalysis.h"
#include "RuleSet.h"
#include "SarifWriter.h"
#include "Suppressions.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/xxhash.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace stallhound {

namespace {

const char *CheckUsage =
    R"(usage: stallhound check [OPTIONS] [FILE|DIR...] [-- COMPILER ARGS...]

Analyzes C++ translation units and Python sources and reports calls that
block the event loop inside coroutine handlers (asio awaitables, tasks,
Python `async def`), directly or through other functions and modules.

Python: give .py files or directories (walked without virtual environments,
site-packages, caches and VCS folders); they may be mixed with -p for a
project with C extensions, and all findings come out as one report.

  -p DIR               build directory holding compile_commands.json
                       (default: found upward from the first FILE)
  -- ARGS...           compile every FILE with these arguments instead of a
                       compilation database
  --format text|json|sarif
                       output format (default: text); sarif is SARIF 2.1.0
                       for code scanning, paths relative to --source-root
  --source-root DIR    root of the repository for SARIF paths (default: the
                       current directory)
  -o FILE              write the findings to FILE instead of stdout
  --rules FILE         add the rules of FILE (repeatable); a rule with a known
                       id replaces the built-in one; rules with "language":
                       "python" are rules of Python code
  --rules-dir DIR      use the rules of DIR instead of the built-in ones
  -j N                 analyze N translation units in parallel (default: the
                       number of CPUs)
  --header-filter RE   only headers whose path matches RE are user code (the
                       main file always is); others are opaque like libraries
  --cache DIR          keep each translation unit's facts in DIR and reuse
                       them while its command and files are unchanged
  --baseline FILE      ignore the findings recorded in FILE
  --write-baseline FILE
                       record the current findings in FILE (and exit 0)
  --facts-out DIR      also write each translation unit's facts as JSON
  --facts PATH         merge facts written by --facts-out, --shard or
                       --launcher (a file, or a directory searched at any
                       depth for *.facts.json) instead of parsing;
                       repeatable; source FILE arguments are then not allowed
  --color auto|always|never
                       color text output (default: auto, only on a terminal)
  --fail-on remark|warning|error
                       exit 1 only for findings of this severity or worse
                       (default: warning; remarks alone never fail a run)
  --memory-limit MB    address space each translation unit's process may use
                       (default: 8192); a unit that needs more fails alone
  --extra-arg-before ARG, --extra-arg ARG
                       add ARG to every compile command, after the compiler
                       or at the end (as clang-tidy does; CMake's
                       CMAKE_CXX_CLANG_TIDY passes them)
  --shard I/N          analyze only the I-th of N shares of the files (each
                       file in exactly one, the same every run) and write
                       their facts with --facts-out; a last 'check --facts
                       DIR...' over all N merges them into the findings of
                       one whole run (a CI matrix over N machines)
  --launcher COMPILER ARGS...
                       run the compile command, then write the facts of its
                       translation unit beside its object (or in --facts-out
                       DIR), for 'check --facts BUILD_DIR' after the build:
                       CMake's CMAKE_CXX_COMPILER_LAUNCHER="stallhound;check;
                       --launcher"; exits with the compiler's status
  --list-rules         list every rule (C++ and Python) and exit
  --disable RULE[,RULE]
                       do not report these rules (repeatable)
  --select RULE[,RULE] report only these rules (repeatable)
  --stats              print what the run cost: CPU time and peak memory per
                       translation unit, and the size of the merged program
  --verbose            print what an analysis process wrote when it failed
                       (the stack of an internal error)
  -h, --help           show this help
  --version            show the version

Without FILE arguments every file of the compilation database is analyzed;
entries that are not C or C++ (.S, .s, ...) are skipped and counted, and a
file listed several times is analyzed once. A FILE that is not in the
database gets the command of a similar file, as clang-tidy does.
A finding is silenced by // NOLINT(stallhound-RULE) on its line or on the
blocking call's line, or by // NOLINTNEXTLINE(stallhound-RULE) above it; in
Python by # noqa: stallhound-RULE or # stallhound: ignore[RULE].

exit status: 0 no findings at the --fail-on level, 1 findings, 2 errors (bad
arguments, bad rules, a translation unit that could not be parsed or that
stallhound failed on; findings of the others are still printed)
)";

struct CheckOptions {
  std::string BuildDir;
  std::vector<std::string> Files;
  std::vector<std::string> FixedArgs;
  bool HasFixedArgs = false;
  std::string Format = "text";
  std::string OutputFile;
  std::vector<std::string> RuleFiles;
  std::string RulesDir;
  std::string FactsOut;
  std::vector<std::string> FactsIn;
  std::string Color = "auto";
  unsigned Jobs = std::max(1u, std::thread::hardware_concurrency());
  std::string HeaderFilter;
  std::string CacheDir;
  std::string SourceRoot;
  std::string BaselineIn;
  std::string BaselineOut;
  Severity FailOn = Severity::Warning;
  uint64_t MemoryLimitMb = 8192;
  bool Stats = false;
  bool Verbose = false;
  bool ListRules = false;
  unsigned ShardIndex = 0, ShardCount = 0;             // --shard I/N (1-based)
  std::vector<std::string> ExtraArgsBefore, ExtraArgs; // as clang-tidy's
  std::vector<std::string> Disabled;                   // rule ids
  std::vector<std::string> Selected;                   // rule ids; empty: all
  std::vector<std::string> LauncherCommand; // --launcher COMPILER ARGS...
};

CheckOptions parseArguments(int argc, char **argv) {
  CheckOptions O;
  auto Value = [&](int &I) -> std::string {
    std::string Flag = argv[I];
    if (I + 1 >= argc || std::string(argv[I + 1]) == "--")
      throw UsageError("option '" + Flag + "' needs a value");
    return argv[++I];
  };
  auto RuleList = [&](int &I, std::vector<std::string> &To) {
    std::string List = Value(I);
    for (size_t Start = 0; Start <= List.size();) {
      size_t Comma = List.find(',', Start);
      std::string Id =
          List.substr(Start, Comma == std::string::npos ? std::string::npos
                                                        : Comma - Start);
      if (Id.rfind("stallhound-", 0) == 0)
        Id.erase(0, 11);
      if (!Id.empty())
        To.push_back(Id);
      if (Comma == std::string::npos)
        break;
      Start = Comma + 1;
    }
  };
  for (int I = 1; I < argc; ++I) {
    std::string A = argv[I];
    if (A == "--") {
      O.HasFixedArgs = true;
      for (++I; I < argc; ++I)
        O.FixedArgs.push_back(argv[I]);
      break;
    }
    if (A == "--launcher") {
      for (++I; I < argc; ++I)
        O.LauncherCommand.push_back(argv[I]);
      if (O.LauncherCommand.empty())
        throw UsageError("--launcher needs the compile command after it");
      break;
    }
    if (A == "-p")
      O.BuildDir = Value(I);
    else if (A.rfind("-p", 0) == 0 && A.size() > 2 && A[2] != '-')
      O.BuildDir = A.substr(2);
    else if (A == "--format")
      O.Format = Value(I);
    else if (A == "-o")
      O.OutputFile = Value(I);
    else if (A == "--rules")
      O.RuleFiles.push_back(Value(I));
    else if (A == "--rules-dir")
      O.RulesDir = Value(I);
    else if (A == "--facts-out")
      O.FactsOut = Value(I);
    else if (A == "--facts")
      O.FactsIn.push_back(Value(I));
    else if (A == "--color")
      O.Color = Value(I);
    else if (A == "-j" || (A.rfind("-j", 0) == 0 && A.size() > 2)) {
      std::string N = A == "-j" ? Value(I) : A.substr(2);
      char *End = nullptr;
      long Jobs = std::strtol(N.c_str(), &End, 10);
      if (N.empty() || *End || Jobs < 1 || Jobs > 256)
        throw UsageError("-j needs a number of jobs from 1 to 256, not '" + N +
                         "'");
      O.Jobs = static_cast<unsigned>(Jobs);
    } else if (A == "--header-filter") {
      O.HeaderFilter = Value(I);
      std::string Error;
      if (!llvm::Regex(O.HeaderFilter).isValid(Error))
        throw UsageError("--header-filter '" + O.HeaderFilter +
                         "' is not a valid regular expression: " + Error);
    } else if (A == "--cache")
      O.CacheDir = Value(I);
    else if (A == "--source-root")
      O.SourceRoot = Value(I);
    else if (A == "--baseline")
      O.BaselineIn = Value(I);
    else if (A == "--write-baseline")
      O.BaselineOut = Value(I);
    else if (A == "--fail-on") {
      std::string Level = Value(I);
      auto Parsed = parseSeverity(Level);
      if (!Parsed)
        throw UsageError("--fail-on must be remark, warning or error, not '" +
                         Level + "'");
      O.FailOn = *Parsed;
    } else if (A == "--memory-limit") {
      std::string N = Value(I);
      char *End = nullptr;
      unsigned long long Mb = std::strtoull(N.c_str(), &End, 10);
      if (N.empty() || *End || Mb < 256 || Mb > (1ull << 24))
        throw UsageError("--memory-limit needs a number of megabytes from 256 "
                         "up, not '" +
                         N + "'");
      O.MemoryLimitMb = Mb;
    } else if (A == "--stats")
      O.Stats = true;
    else if (A == "--list-rules")
      O.ListRules = true;
    else if (A == "--shard") {
      std::string Spec = Value(I);
      unsigned Index = 0, Count = 0;
      char Slash = 0, Extra = 0;
      if (std::sscanf(Spec.c_str(), "%u%c%u%c", &Index, &Slash, &Count,
                      &Extra) != 3 ||
          Slash != '/' || Count < 1 || Index < 1 || Index > Count)
        throw UsageError("--shard needs I/N with 1 <= I <= N, not '" + Spec +
                         "'");
      O.ShardIndex = Index;
      O.ShardCount = Count;
    } else if (A == "--extra-arg-before")
      O.ExtraArgsBefore.push_back(Value(I));
    else if (A == "--extra-arg")
      O.ExtraArgs.push_back(Value(I));
    else if (A == "--disable")
      RuleList(I, O.Disabled);
    else if (A == "--select")
      RuleList(I, O.Selected);
    else if (A == "--verbose" || A == "-v")
      O.Verbose = true;
    else if (A.size() > 1 && A[0] == '-')
      throw UsageError("unknown option '" + A + "'");
    else
      O.Files.push_back(A);
  }
  if (O.Format != "text" && O.Format != "json" && O.Format != "sarif")
    throw UsageError("--format must be 'text', 'json' or 'sarif', not '" +
                     O.Format + "'");
  if (O.Color != "auto" && O.Color != "always" && O.Color != "never")
    throw UsageError("--color must be auto, always or never");
  if (!O.FactsIn.empty() && (!O.Files.empty() || O.HasFixedArgs))
    throw UsageError("--facts merges saved facts; it takes no source files");
  if (O.ShardCount && O.FactsOut.empty())
    throw UsageError("--shard writes facts for a later 'check --facts' run: "
                     "give --facts-out DIR");
  if (O.ShardCount && !O.FactsIn.empty())
    throw UsageError("--shard splits the analysis; --facts merges it: not "
                     "both");
  if (O.HasFixedArgs && !O.BuildDir.empty())
    throw UsageError("use either -p or '-- ARGS', not both");
  if (O.HasFixedArgs && O.Files.empty())
    throw UsageError("'-- ARGS' needs at least one source file");
  if (!O.LauncherCommand.empty() &&
      (!O.Files.empty() || !O.BuildDir.empty() || !O.FactsIn.empty() ||
       O.ShardCount || !O.BaselineOut.empty()))
    throw UsageError("--launcher analyzes the compile command it runs: no "
                     "source files, -p, --facts, --shard or --write-baseline");
  if (!O.LauncherCommand.empty())
    return O;
  if (O.FactsIn.empty() && O.Files.empty() && O.BuildDir.empty() &&
      !O.ListRules)
    throw UsageError("nothing to analyze: give -p BUILD_DIR, source files, or "
                     "Python files or directories");
  return O;
}

bool showProgress() { return isatty(STDERR_FILENO) && !std::getenv("CI"); }

void printProgress(size_t Done, size_t Total, const std::string &File) {
  std::cerr << "\r\033[K[" << Done << "/" << Total << "] "
            << llvm::sys::path::filename(File).str() << std::flush;
}

/// The rules, then the built-in configuration (callback registration
/// functions and the like) that the rules directory ships with them.
Config loadBaseConfig(const CheckOptions &O) {
  std::string Dir = O.RulesDir.empty() ? builtInRulesDir() : O.RulesDir;
  Config Base;
  Base.Rules.addDirectory(Dir);
  if (llvm::sys::fs::is_directory(Dir + "/python"))
    Base.PythonRules.addDirectory(Dir + "/python");
  for (const std::string &F : O.RuleFiles) {
    RuleSet Read;
    Read.addFile(F);
    size_t Python = 0;
    for (const Rule &R : Read.rules())
      Python += R.Language == "python";
    if (Python && Python != Read.rules().size())
      throw LocatedError(F, {0, 0},
                         "rules of C++ and of Python (\"language\": "
                         "\"python\") belong in separate files");
    (Python ? Base.PythonRules : Base.Rules).addFile(F);
  }
  Base.PresetCatalog = loadPresets(Dir + "/presets", Base.Rules);
  for (const std::string &Defaults : {Dir + "/default.stallhound.json",
                                      Dir + "/python/default.stallhound.json"})
    if (llvm::sys::fs::exists(Defaults)) {
      Base = applyConfigFile(Base, Defaults);
      Base.Path.clear();
    }
  return Base;
}

std::unique_ptr<clang::tooling::CompilationDatabase>
loadDatabase(CheckOptions &O) {
  using namespace clang::tooling;
  std::string Error;
  if (O.HasFixedArgs) {
    // As clang-tidy reads it: a whole compile command after `--` (as CMake's
    // CMAKE_CXX_CLANG_TIDY passes one: the compiler, -c FILE, -o OBJ) or
    // only flags; the compiler, inputs and outputs are dropped.
    std::vector<const char *> Argv = {"stallhound", "--"};
    for (const std::string &A : O.FixedArgs)
      Argv.push_back(A.c_str());
    int Argc = static_cast<int>(Argv.size());
    if (auto DB = FixedCompilationDatabase::loadFromCommandLine(
            Argc, Argv.data(), Error))
      return DB;
    throw std::runtime_error("the arguments after '--': " + Error);
  }
  std::unique_ptr<CompilationDatabase> DB;
  if (!O.BuildDir.empty()) {
    DB = JSONCompilationDatabase::loadFromDirectory(O.BuildDir, Error);
    if (!DB)
      throw std::runtime_error(O.BuildDir + "/compile_commands.json: " + Error);
  } else {
    DB = CompilationDatabase::autoDetectFromSource(O.Files.front(), Error);
    if (!DB)
      throw std::runtime_error(
          O.Files.front() +
          ": no compile_commands.json found above this file; give -p "
          "BUILD_DIR or '-- COMPILER ARGS'");
  }
  if (O.Files.empty()) {
    O.Files = DB->getAllFiles();
    std::sort(O.Files.begin(), O.Files.end()); // the same order every run
  }
  return DB;
}

void writeFacts(const std::string &Dir, const TuFacts &Facts) {
  llvm::sys::fs::create_directories(Dir);
  char Hash[17];
  std::snprintf(
      Hash, sizeof Hash, "%016llx",
      static_cast<unsigned long long>(llvm::xxh3_64bits(Facts.MainFile)));
  std::string Path = Dir + "/" +
                     llvm::sys::path::filename(Facts.MainFile).str() + "-" +
                     Hash + ".facts.json";
  std::ofstream Out(Path);
  Out << toJson(Facts).dump(1) << "\n";
  if (!Out)
    throw std::runtime_error(Path + ": cannot write facts");
}

TuFacts readFacts(const std::string &Path) {
  // Facts are machine-written and large: nlohmann's parser, no positions.
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    throw LocatedError(Path, {0, 0}, "cannot read file");
  nlohmann::json Root;
  try {
    Root = nlohmann::json::parse(In);
  } catch (const nlohmann::json::parse_error &E) {
    throw LocatedError(Path, {0, 0},
                       "not JSON (byte " + std::to_string(E.byte) + ")");
  }
  try {
    return tuFactsFromJson(Root);
  } catch (const std::runtime_error &E) {
    throw LocatedError(Path, {0, 0},
                       std::string("malformed facts: ") + E.what());
  }
}

/// Drops the files that are not C or C++; says how many, by extension.
void skipOtherLanguages(std::vector<std::string> &Files) {
  std::map<std::string, size_t> Skipped;
  std::erase_if(Files, [&](const std::string &File) {
    if (isCOrCxxSource(File))
      return false;
    std::string Ext = llvm::sys::path::extension(File).str();
    ++Skipped[Ext.empty() ? "no extension" : Ext];
    return true;
  });
  if (Skipped.empty())
    return;
  size_t Total = 0;
  std::string Kinds;
  for (const auto &[Ext, Count] : Skipped) {
    Total += Count;
    Kinds += (Kinds.empty() ? "" : ", ") + Ext + ": " + std::to_string(Count);
  }
  std::cerr << "stallhound: note: skipped " << Total << " file"
            << (Total == 1 ? "" : "s") << " that are not C or C++ (" << Kinds
            << ")\n";
}

void printErrors(const std::vector<TuFacts> &Units, bool Verbose) {
  constexpr size_t MaxPerUnit = 5;
  for (const TuFacts &Unit : Units) {
    if (Unit.Errors.empty())
      continue;
    size_t Shown = 0;
    bool Crashed = false, ParseFailed = false;
    for (const TuError &E : Unit.Errors) {
      Crashed |= E.What == TuError::Kind::Crash;
      ParseFailed |= E.What == TuError::Kind::Parse;
      if (Shown++ < MaxPerUnit)
        std::cerr << formatError(E) << "\n";
    }
    if (Unit.Errors.size() > MaxPerUnit)
      std::cerr << Unit.MainFile
                << ": error: " << Unit.Errors.size() - MaxPerUnit
                << " more errors\n";
    if (Crashed) {
      std::cerr << "stallhound: error: stallhound crashed on " << Unit.MainFile
                << " (internal error); the other files are analyzed";
      if (Verbose && !Unit.Diagnostics.empty())
        std::cerr << "; its process said:\n" << Unit.Diagnostics;
      else
        std::cerr << "; --verbose shows its stack";
      std::cerr << "\n";
    } else if (ParseFailed) {
      std::cerr << "stallhound: error: " << Unit.MainFile
                << " could not be parsed; its findings may be incomplete\n";
    }
  }
}

struct RunCounts {
  size_t Units = 0;
  size_t PythonFiles = 0;
  size_t FromCache = 0;
  size_t Failed = 0;
  size_t Crashed = 0;
  size_t Suppressed = 0;
  size_t Baselined = 0;
  double Seconds = 0;
  double MergeSeconds = 0; // phase 2: merging facts and building findings
};

std::string summary(const RunCounts &C, const std::vector<Finding> &Findings) {
  std::map<std::string, size_t> ByRule;
  for (const Finding &F : Findings)
    ++ByRule[F.RuleId];
  std::ostringstream OS;
  size_t Cxx = C.Units - C.PythonFiles;
  OS << "stallhound: ";
  if (Cxx || !C.PythonFiles)
    OS << Cxx << " translation unit" << (Cxx == 1 ? "" : "s")
       << (C.PythonFiles ? ", " : "");
  if (C.PythonFiles)
    OS << C.PythonFiles << " Python file" << (C.PythonFiles == 1 ? "" : "s");
  OS << " analyzed";
  if (C.FromCache)
    OS << " (" << C.FromCache << " from cache)";
  OS << ", " << C.Failed << " failed";
  if (C.Crashed)
    OS << " (" << C.Crashed << " by an internal error)";
  OS << ", " << Findings.size() << " finding"
     << (Findings.size() == 1 ? "" : "s");
  if (!ByRule.empty()) {
    OS << " (";
    bool First = true;
    for (const auto &[Rule, Count] : ByRule) {
      OS << (First ? "" : ", ") << Rule << ": " << Count;
      First = false;
    }
    OS << ")";
  }
  if (C.Suppressed)
    OS << ", " << C.Suppressed << " silenced by NOLINT";
  if (C.Baselined)
    OS << ", " << C.Baselined << " in the baseline";
  char Time[32];
  std::snprintf(Time, sizeof Time, ", %.1f s (merge %.2f s)", C.Seconds,
                C.MergeSeconds);
  OS << Time;
  return OS.str();
}

std::string megabytes(uint64_t Kb) {
  char Text[32];
  std::snprintf(Text, sizeof Text, "%.0f MB", double(Kb) / 1024);
  return Text;
}

/// --stats: what the analysis processes cost, and what phase 2 merged.
void printStats(const std::vector<TuFacts> &Units, const MergeStats &Merge,
                double MergeSeconds) {
  std::vector<const TuFacts *> Parsed;
  double Cpu = 0;
  for (const TuFacts &Unit : Units)
    if (!Unit.FromCache && Unit.PeakRssKb) {
      Parsed.push_back(&Unit);
      Cpu += Unit.CpuSeconds;
    }
  std::cerr << "stallhound: stats: " << Parsed.size() << " translation unit"
            << (Parsed.size() == 1 ? "" : "s") << " parsed";
  if (!Parsed.empty()) {
    std::sort(Parsed.begin(), Parsed.end(),
              [](const TuFacts *A, const TuFacts *B) {
                return A->PeakRssKb < B->PeakRssKb;
              });
    char Line[160];
    std::snprintf(Line, sizeof Line, ", CPU %.1f s (%.2f s per unit)", Cpu,
                  Cpu / double(Parsed.size()));
    std::cerr << Line << "; peak memory per unit: median "
              << megabytes(Parsed[Parsed.size() / 2]->PeakRssKb) << ", max "
              << megabytes(Parsed.back()->PeakRssKb) << " ("
              << llvm::sys::path::filename(Parsed.back()->MainFile).str()
              << ")";
  }
  struct rusage Self {};
  getrusage(RUSAGE_SELF, &Self);
  char Line[200];
  std::snprintf(Line, sizeof Line,
                "; this process %s; merge %.2f s: %zu functions, %zu calls, "
                "%zu handlers, %zu findings",
                megabytes(static_cast<uint64_t>(Self.ru_maxrss)).c_str(),
                MergeSeconds, Merge.Functions, Merge.Calls, Merge.Handlers,
                Merge.Findings);
  std::cerr << Line;
  if (Merge.AmbiguousCalls)
    std::cerr << "; " << Merge.AmbiguousCalls
              << " calls not followed: several programs define the callee";
  std::cerr << "\n";
}

/// A crash's stack names functions when LLVM's symbolizer can be found.
void findSymbolizer() {
  std::string Symbolizer =
      std::string(STALLHOUND_LLVM_TOOLS_DIR) + "/llvm-symbolizer";
  if (!std::getenv("LLVM_SYMBOLIZER_PATH") &&
      llvm::sys::fs::can_execute(Symbolizer))
    setenv("LLVM_SYMBOLIZER_PATH", Symbolizer.c_str(), 0);
}

/// --shard I/N: every N-th file of the sorted list, from the I-th on. The
/// Python files continue the count of the C and C++ files (Before of them),
/// so that shares stay even when either list is short.
void keepShard(std::vector<std::string> &Files, const CheckOptions &O,
               size_t Before = 0) {
  if (!O.ShardCount)
    return;
  std::sort(Files.begin(), Files.end());
  std::vector<std::string> Kept;
  for (size_t K = 0; K < Files.size(); ++K)
    if ((Before + K) % O.ShardCount == O.ShardIndex - 1)
      Kept.push_back(Files[K]);
  Files = std::move(Kept);
}

/// --list-rules: one line a rule, C++ first, then Python.
void listRules(std::ostream &OS, const Config &Base) {
  for (const auto &[Language, Set] :
       {std::pair<const char *, const RuleSet *>{"c++", &Base.Rules},
        {"python", &Base.PythonRules}}) {
    std::vector<const Rule *> Sorted;
    for (const Rule &R : Set->rules())
      Sorted.push_back(&R);
    std::sort(Sorted.begin(), Sorted.end(),
              [](const Rule *A, const Rule *B) { return A->Id < B->Id; });
    for (const Rule *R : Sorted) {
      char Line[96];
      std::snprintf(Line, sizeof Line, "%-20s %-7s %-8s %-12s ", R->Id.c_str(),
                    Language, severityName(R->Level), R->Category.c_str());
      OS << Line << R->Summary << "\n";
    }
  }
}

bool failsRun(const std::vector<Finding> &Findings, Severity FailOn) {
  return std::any_of(Findings.begin(), Findings.end(), [&](const Finding &F) {
    return F.R && F.R->Level >= FailOn;
  });
}

} // namespace

int runCheck(int argc, char **argv, const char *Argv0) {
  for (int I = 1; I < argc && std::string(argv[I]) != "--" &&
                  std::string(argv[I]) != "--launcher";
       ++I)
    if (std::string(argv[I]) == "--help" || std::string(argv[I]) == "-h") {
      std::cout << CheckUsage;
      return 0;
    }
  return runGuarded("check", [&] {
    CheckOptions O = parseArguments(argc, argv);
    // An internal error prints its stack; each translation unit runs in a
    // process of its own, whose stderr --verbose shows.
    findSymbolizer();
    llvm::sys::PrintStackTraceOnErrorSignal(Argv0);
    ConfigResolver Configs(loadBaseConfig(O));
    if (O.ListRules) {
      listRules(std::cout, Configs.base());
      return 0;
    }
    for (const auto *List : {&O.Disabled, &O.Selected})
      for (const std::string &Id : *List)
        if (!Configs.base().Rules.find(Id) &&
            !Configs.base().PythonRules.find(Id))
          throw UsageError("unknown rule '" + Id +
                           "' (--list-rules lists them)");
    auto Reported = [&](const std::string &RuleId) {
      if (std::find(O.Disabled.begin(), O.Disabled.end(), RuleId) !=
          O.Disabled.end())
        return false;
      return O.Selected.empty() ||
             std::find(O.Selected.begin(), O.Selected.end(), RuleId) !=
                 O.Selected.end();
    };
    auto RulesFor = [&](const std::string &File) -> const RuleSet & {
      return Configs.forFile(File).rulesFor(File);
    };
    if (!O.LauncherCommand.empty()) {
      int Status = runCompile(O.LauncherCommand);
      LaunchedCompile Compile = describeCompile(O.LauncherCommand);
      if (Status != 0 || Compile.Sources.empty())
        return Status;
      // The build runs compiles side by side; facts go beside the object.
      O.Files = Compile.Sources;
      O.FixedArgs = Compile.Command;
      O.HasFixedArgs = true;
      O.Jobs = 1;
      if (O.FactsOut.empty())
        O.FactsOut = Compile.ObjectDir;
    }
    std::vector<std::string> PythonInputs;
    if (O.FactsIn.empty()) {
      std::erase_if(O.Files, [&](const std::string &File) {
        if (!python::isPythonInput(File))
          return false;
        PythonInputs.push_back(File);
        return true;
      });
    }
    bool AnalyzeCxx =
        O.FactsIn.empty() && (!O.Files.empty() || !O.BuildDir.empty());

    auto Start = std::chrono::steady_clock::now();
    std::vector<TuFacts> Units;
    size_t CxxFileCount = 0; // before sharding
    std::optional<CommandAdjuster> Adjuster;
    // One cache for both front ends; an entry's key also holds its own file's
    // configuration.
    std::optional<FactsCache> Cache;
    if (!O.CacheDir.empty() && O.FactsIn.empty())
      Cache.emplace(O.CacheDir, std::string(STALLHOUND_VERSION) + "\n" +
                                    std::to_string(FactsFormatVersion) + "\n" +
                                    Configs.base().Rules.fingerprint() + "\n" +
                                    O.HeaderFilter);
    if (!O.FactsIn.empty()) {
      for (const std::string &Path : expandInputFiles(O.FactsIn, ".facts.json"))
        Units.push_back(readFacts(Path));
    } else if (AnalyzeCxx) {
      auto DB = loadDatabase(O);
      Adjuster.emplace(STALLHOUND_CLANG_RESOURCE_DIR);
      Adjuster->addExtraArguments(O.ExtraArgsBefore, O.ExtraArgs);
      AnalysisOptions Options;
      Options.Jobs = O.Jobs;
      Options.HeaderFilter = O.HeaderFilter;
      Options.Cache = Cache ? &*Cache : nullptr;
      Options.MemoryLimit = O.MemoryLimitMb << 20;
      bool Progress = showProgress();
      if (Progress)
        Options.Progress = printProgress;
      Options.Note = [Progress](const std::string &Note) {
        std::cerr << (Progress ? "\r\033[K" : "")
                  << "stallhound: note: " << Note << "\n";
      };
      std::vector<std::string> Files;
      std::set<std::string> Seen;
      for (const std::string &File : O.Files)
        if (Seen.insert(absolutePath(File)).second)
          Files.push_back(absolutePath(File));
      skipOtherLanguages(Files);
      if (Files.empty() && PythonInputs.empty())
        throw std::runtime_error((O.BuildDir.empty()
                                      ? std::string("the compilation database")
                                      : O.BuildDir + "/compile_commands.json") +
                                 ": no C or C++ file to analyze");
      CxxFileCount = Files.size();
      keepShard(Files, O);
      for (const std::string &File : Files)
        Configs.forFile(File); // configuration errors stop the run here
      Units = analyzeFiles(*DB, Files, Configs, *Adjuster, Options);
      if (Progress)
        std::cerr << "\r\033[K";
    }
    if (!PythonInputs.empty()) {
      std::vector<std::string> PythonFiles =
          python::findPythonFiles(PythonInputs, Configs);
      keepShard(PythonFiles, O, CxxFileCount);
      std::vector<TuFacts> Python = python::analyzePythonFiles(
          PythonFiles, Configs, O.Jobs, Cache ? &*Cache : nullptr);
      std::move(Python.begin(), Python.end(), std::back_inserter(Units));
    }
    if (!O.FactsOut.empty() && O.FactsIn.empty())
      for (const TuFacts &Unit : Units)
        writeFacts(O.FactsOut, Unit);
    if (!O.LauncherCommand.empty()) {
      // The compile succeeded: the build goes on. A unit that failed to
      // parse is in its facts, and the merging run reports it.
      printErrors(Units, O.Verbose);
      return 0;
    }

    if (O.ShardCount) {
      // Phase 2 needs every shard's facts: the merging run reports. An empty
      // share still leaves its (empty) directory for the merge to read.
      llvm::sys::fs::create_directories(O.FactsOut);
      size_t Failed =
          std::count_if(Units.begin(), Units.end(), [](const TuFacts &Unit) {
            return !Unit.Errors.empty();
          });
      printErrors(Units, O.Verbose);
      std::cerr << "stallhound: shard " << O.ShardIndex << "/" << O.ShardCount
                << ": " << Units.size() << " files analyzed, " << Failed
                << " failed; facts in " << O.FactsOut
                << " (merge all shards with 'stallhound check --facts')\n";
      return Failed ? 2 : 0;
    }

    RunCounts Counts;
    Counts.Units = Units.size();
    Counts.PythonFiles = static_cast<size_t>(
        std::count_if(Units.begin(), Units.end(), [](const TuFacts &Unit) {
          return Unit.Language == "python";
        }));
    auto MergeStart = std::chrono::steady_clock::now();
    std::vector<Finding> Findings;
    Suppressions Nolint;
    for (const TuFacts &Unit : Units) // load every configuration before phase 2
      for (const FunctionFacts &F : Unit.Functions)
        Configs.forFile(F.Loc.File);
    MergeStats Merged;
    for (Finding &F : buildFindings(Units, RulesFor, &Merged)) {
      if (!Reported(F.RuleId))
        continue;
      if (Nolint.suppresses(F))
        ++Counts.Suppressed;
      else
        Findings.push_back(std::move(F));
    }
    if (!O.BaselineIn.empty()) {
      size_t Before = Findings.size();
      Findings = Baseline::read(O.BaselineIn).filter(std::move(Findings));
      Counts.Baselined = Before - Findings.size();
    }
    Counts.MergeSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - MergeStart)
                              .count();
    if (Adjuster) {
      std::set<std::string> Libraries;
      for (const TuFacts &Unit : Units)
        Libraries.insert(Unit.Libraries.begin(), Unit.Libraries.end());
      for (const std::string &Library : Libraries)
        if (std::string Note = Adjuster->injectionNote(Library); !Note.empty())
          std::cerr << "stallhound: note: " << Note << "\n";
    }
    std::vector<TuError> Errors;
    for (const TuFacts &Unit : Units) {
      Counts.Failed += !Unit.Errors.empty();
      Counts.Crashed += std::any_of(
          Unit.Errors.begin(), Unit.Errors.end(),
          [](const TuError &E) { return E.What == TuError::Kind::Crash; });
      Counts.FromCache += Unit.FromCache;
      Errors.insert(Errors.end(), Unit.Errors.begin(), Unit.Errors.end());
    }
    printErrors(Units, O.Verbose);
    Counts.Seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
            .count();

    if (!O.BaselineOut.empty()) {
      Baseline::write(O.BaselineOut, Findings);
      std::cerr << summary(Counts, Findings) << "\n"
                << "stallhound: wrote " << Findings.size()
                << " findings to the baseline " << O.BaselineOut << "\n";
      return Counts.Failed ? 2 : 0;
    }

    std::ofstream File;
    if (!O.OutputFile.empty()) {
      File.open(O.OutputFile);
      if (!File)
        throw std::runtime_error(O.OutputFile + ": cannot write output");
    }
    std::ostream &Out = O.OutputFile.empty() ? std::cout : File;
    if (O.Format == "sarif") {
      Out << findingsToSarif(
                 Findings, Errors, Configs.base().Rules,
                 Configs.base().PythonRules,
                 absolutePath(O.SourceRoot.empty() ? "." : O.SourceRoot),
                 STALLHOUND_VERSION)
                 .dump(2)
          << "\n";
    } else if (O.Format == "json") {
      Out << findingsToJson(Findings, Errors, Units.size()).dump(2) << "\n";
    } else {
      printText(Out, Findings, wantsColor(O.Color, O.OutputFile));
    }
    Out.flush();
    std::cerr << summary(Counts, Findings) << "\n";
    if (O.Stats)
      printStats(Units, Merged, Counts.MergeSeconds);
    if (Counts.Failed)
      return 2;
    return failsRun(Findings, O.FailOn) ? 1 : 0;
  });
}

} // namespace stallhound
