//===- ReportCommand.cpp - stallhound report ------------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Reads static and runtime reports, symbolizes runtime frames offline,
// merges, correlates, gates and renders them.
//
//===----------------------------------------------------------------------===//

#include "CommandSupport.h"
#include "Commands.h"

#include "Installation.h"
#include "Correlation.h"
#include "Gating.h"
#include "HtmlRenderer.h"
#include "InputFiles.h"
#include "JsonRenderer.h"
#include "Merge.h"
#include "ReportReader.h"
#include "ReportView.h"
#include "RuleCatalog.h"
#include "SarifRenderer.h"
#include "Symbolization.h"
#include "TextRenderer.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace stallhound {

namespace {

const char *ReportUsage =
    R"(usage: stallhound report [OPTIONS] FILE|DIR...

Merges static reports (stallhound check --format json) and runtime reports
(the probe's stallhound-PID.json, with the .events.ndjson beside them) of any
number of processes and CI shards into one view. A directory stands for the
*.json reports in it. Runtime frames recorded as module + build id + offset
are symbolized from debug information; a static finding whose handler was
seen stalling at run time is marked confirmed, with the runtime figures.

  --format text|json|sarif|html
                       output format (default: text); sarif is SARIF 2.1.0
                       for code scanning, html a self-contained page
  -o FILE              write the report to FILE instead of stdout
  --source-root DIR    root of the repository for SARIF paths (default: the
                       current directory)
  --debug-dir DIR      also look for separate debug files in DIR (by build
                       id: DIR/.build-id/xx/yyyy.debug; by .gnu_debuglink);
                       repeatable; /usr/lib/debug is always searched
  --fail-on WHAT       exit 1 when a finding matches: a level (error,
                       warning, note: that level or above) or a rule id
                       (sleep, runtime/stall); repeatable, or comma-separated
  --min-stall-ms N     leave out runtime findings whose longest occurrence
                       is shorter than N ms
  --rules FILE         add the rules of FILE (repeatable), as for check
  --rules-dir DIR      use the rules of DIR instead of the built-in ones
  --color auto|always|never
                       color text output (default: auto, only on a terminal)
  -h, --help           show this help
  --version            show the version

Runtime levels follow the probe's severity: high is error, medium warning,
low note.

exit status: 0 nothing matches --fail-on (always without it), 1 findings
match --fail-on, 2 bad arguments or an unreadable, malformed or unknown input,
or, with --fail-on, a static report that records files it could not analyze
)";

struct ReportOptions {
  std::vector<std::string> Inputs;
  std::string Format = "text";
  std::string OutputFile;
  std::string SourceRoot;
  std::vector<std::string> DebugDirs;
  std::vector<std::string> FailOn;
  double MinStallMs = 0;
  std::vector<std::string> RuleFiles;
  std::string RulesDir;
  std::string Color = "auto";
};

ReportOptions parseArguments(int argc, char **argv) {
  ReportOptions O;
  auto Value = [&](int &I) -> std::string {
    if (I + 1 >= argc || std::string(argv[I + 1]) == "--")
      throw UsageError(std::string("option '") + argv[I] + "' needs a value");
    return argv[++I];
  };
  for (int I = 1; I < argc; ++I) {
    std::string A = argv[I];
    if (A == "--format")
      O.Format = Value(I);
    else if (A == "-o")
      O.OutputFile = Value(I);
    else if (A == "--source-root")
      O.SourceRoot = Value(I);
    else if (A == "--debug-dir")
      O.DebugDirs.push_back(Value(I));
    else if (A == "--fail-on") {
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      std::string V = Value(I);
      llvm::StringRef(V).split(Parts, ',', -1, false);
      if (Parts.empty())
        throw UsageError("--fail-on needs a level or a rule id");
      for (llvm::StringRef P : Parts)
        O.FailOn.push_back(P.trim().str());
    } else if (A == "--min-stall-ms") {
      std::string V = Value(I);
      char *End = nullptr;
      O.MinStallMs = std::strtod(V.c_str(), &End);
      if (V.empty() || *End || !(O.MinStallMs >= 0) || O.MinStallMs > 1e9)
        throw UsageError(
            "--min-stall-ms needs a number of milliseconds, not '" + V + "'");
    } else if (A == "--rules")
      O.RuleFiles.push_back(Value(I));
    else if (A == "--rules-dir")
      O.RulesDir = Value(I);
    else if (A == "--color")
      O.Color = Value(I);
    else if (A.size() > 1 && A[0] == '-')
      throw UsageError("unknown option '" + A + "'");
    else
      O.Inputs.push_back(A);
  }
  if (O.Format != "text" && O.Format != "json" && O.Format != "sarif" &&
      O.Format != "html")
    throw UsageError(
        "--format must be 'text', 'json', 'sarif' or 'html', not '" + O.Format +
        "'");
  if (O.Color != "auto" && O.Color != "always" && O.Color != "never")
    throw UsageError("--color must be auto, always or never");
  if (O.Inputs.empty())
    throw UsageError("no reports given");
  return O;
}

void checkGateRules(const report::Gate &G, const report::RuleCatalog &Rules) {
  for (const std::string &Id : G.rules())
    if (!Rules.knows(Id) && Id.rfind("runtime/", 0) != 0)
      throw UsageError("--fail-on '" + Id +
                       "' is neither a level (error, warning, note) nor a "
                       "known rule id");
}

} // namespace

int runReport(int argc, char **argv) {
  for (int I = 1; I < argc; ++I)
    if (std::string(argv[I]) == "--help" || std::string(argv[I]) == "-h") {
      std::cout << ReportUsage;
      return 0;
    }
  return runGuarded("report", [&] {
    ReportOptions O = parseArguments(argc, argv);
    report::RuleCatalog Rules;
    Rules.load(O.RulesDir.empty() ? builtInRulesDir() : O.RulesDir,
               O.RuleFiles);

    report::ReportInputs Inputs;
    for (const std::string &Path : O.Inputs) {
      if (llvm::sys::fs::is_directory(Path))
        report::readReportDirectory(
            Path, Rules, Inputs, [](const std::string &Note) {
              std::cerr << "stallhound: note: " << Note << "\n";
            });
      else
        report::readReportFile(Path, Rules, Inputs);
    }

    report::Symbolization Symbolizer(O.DebugDirs);
    size_t Symbolized = 0;
    for (report::RuntimeInput &In : Inputs.Runtime) {
      for (report::RuntimeFinding &F : In.Findings)
        Symbolized += Symbolizer.symbolize(F, In.Process.Exe);
      report::nameStallEvents(In);
    }

    report::Report Merged = report::mergeInputs(std::move(Inputs));
    size_t Dropped = report::dropShortRuntimeFindings(Merged, O.MinStallMs);
    report::correlate(Merged);
    report::Gate G(O.FailOn);
    checkGateRules(G, Rules);

    report::ReportSettings Settings;
    Settings.SourceRoot =
        absolutePath(O.SourceRoot.empty() ? "." : O.SourceRoot);
    Settings.ToolVersion = STALLHOUND_VERSION;
    Settings.MinStallMs = O.MinStallMs;
    Settings.DroppedBelowMinStall = Dropped;
    Settings.FailOn = O.FailOn;
    report::ReportView View(Merged, Rules, G, Settings);

    std::ofstream File;
    if (!O.OutputFile.empty()) {
      File.open(O.OutputFile);
      if (!File)
        throw std::runtime_error(O.OutputFile + ": cannot write output");
    }
    std::ostream &Out = O.OutputFile.empty() ? std::cout : File;
    // Names from debug information are not checked UTF-8 like the inputs.
    auto Dump = [](const nlohmann::json &J) {
      return J.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    if (O.Format == "json")
      report::writeJson(Out, View, 2), Out << "\n";
    else if (O.Format == "sarif")
      Out << Dump(report::renderSarif(View)) << "\n";
    else if (O.Format == "html")
      report::renderHtml(Out, View);
    else
      report::renderText(Out, View, wantsColor(O.Color, O.OutputFile));
    Out.flush();
    if (!Out)
      throw std::runtime_error("cannot write the report");

    size_t Gating = View.gatingCount();
    std::cerr << "stallhound: " << Merged.StaticInputs.size() << " static and "
              << Merged.RuntimeInputs.size() << " runtime reports, "
              << Merged.Static.size() << " static and " << Merged.Runtime.size()
              << " runtime findings (" << View.confirmedCount()
              << " confirmed), " << Symbolized << " frames symbolized";
    if (!G.empty())
      std::cerr << ", " << Gating << " gating";
    std::cerr << "\n";
    // A gate cannot pass on a static analysis that did not finish.
    if (!G.empty() && !Merged.StaticErrors.empty()) {
      std::cerr << "stallhound: error: the static reports record "
                << Merged.StaticErrors.size()
                << " file(s) that could not be analyzed; their findings are "
                   "missing, so --fail-on cannot pass\n";
      return 2;
    }
    return Gating ? 1 : 0;
  });
}

} // namespace stallhound
