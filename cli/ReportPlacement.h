//===- ReportPlacement.h - Where a run's reports landed ---------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A process that switched to another user (a root server's workers becoming
// nobody) may have been refused by the output directory: the probe then
// writes into STALLHOUND_FALLBACK_DIR/stallhound-UID (default /tmp), and the
// report says which path it wanted. A process that switched user and never
// ran a loop leaves a report with no loops, made in advance.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_CLI_REPORTPLACEMENT_H
#define STALLHOUND_CLI_REPORTPLACEMENT_H

#include <nlohmann/json.hpp>

#include <ctime>
#include <string>
#include <vector>

namespace stallhound {

struct FallbackOutputs {
  std::vector<std::string> Reports;
  std::vector<std::string> StreamsWithoutReport;
};

/// The reports (and streams of processes killed before their first report)
/// written since Since in the fallback directories by processes whose wanted
/// report matches one of OutputGlobs (the output pattern as glob patterns).
FallbackOutputs findFallbackOutputs(const std::vector<std::string> &OutputGlobs,
                                    time_t Since);

/// A report created ahead of a change of user by a process that then ran no
/// loop: nothing to summarize.
bool isUnusedReport(const std::string &Path);

/// Says, under a report's heading, that its process switched user and, when
/// the output directory refused it, where the report went instead.
void printPlacement(const nlohmann::json &Report, const std::string &Path);

} // namespace stallhound

#endif
