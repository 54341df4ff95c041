//===- ReportReader.h - Static and runtime reports from disk ----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Reads the JSON of `stallhound check --format json` and the probe's reports
// (with the NDJSON event stream beside them, when there is one), streaming:
// each element of their big arrays becomes a finding and its text is
// dropped, so memory holds the findings, not the documents. A file that is
// neither, malformed JSON, a field of the wrong type or a file too large
// gives a LocatedError "file:line:col: message".
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_REPORTREADER_H
#define STALLHOUND_REPORT_REPORTREADER_H

#include "ReportFile.h"
#include "ReportModel.h"
#include "RuleCatalog.h"

#include <functional>
#include <string>
#include <vector>

namespace stallhound::report {

struct StaticInput {
  std::string Path;
  std::vector<StaticFinding> Findings;
  std::vector<TuError> Errors;
};

/// One process's report. Finding ids are the probe's, for the event stream.
struct RuntimeInput {
  std::string Path;
  ProcessInfo Process;
  std::vector<LoopInfo> Loops;
  std::vector<RuntimeFinding> Findings;
  std::vector<int64_t> FindingIds;
};

struct ReportInputs {
  std::vector<StaticInput> Static;
  std::vector<RuntimeInput> Runtime;
};

/// Reads one file into Inputs, deciding from its content which kind it is.
void readReportFile(const std::string &Path, RuleCatalog &Rules,
                    ReportInputs &Inputs);

/// Reads the reports of a directory (its *.json files, not recursively).
/// Entries that cannot be reports are skipped, each with a Note: a dangling
/// symlink, anything that is not a regular file, and JSON that is not a
/// stallhound report (a package.json beside the reports). A stallhound report
/// that is malformed is still an error.
void readReportDirectory(const std::string &Dir, RuleCatalog &Rules,
                         ReportInputs &Inputs,
                         const std::function<void(const std::string &)> &Note);

/// readReportFile for a report's text; Path names it in errors and locates
/// the event stream of a probe report.
void readReportText(const std::string &Text, const std::string &Path,
                    RuleCatalog &Rules, ReportInputs &Inputs);

/// Names each stall of the loops' timelines after its finding's handler
/// (again after symbolization has named more handlers).
void nameStallEvents(RuntimeInput &In);

/// The event stream written beside a probe report: PATH without ".json",
/// plus ".events.ndjson".
std::string eventStreamPath(const std::string &ReportPath);

} // namespace stallhound::report

#endif
