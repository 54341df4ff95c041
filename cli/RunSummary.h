//===- RunSummary.h - What stallhound run prints after the command -*- C++ -*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_CLI_RUNSUMMARY_H
#define STALLHOUND_CLI_RUNSUMMARY_H

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

namespace stallhound {

/// Prints on stderr the reports of the processes this run started (source
/// lines added when the analyzer is installed), worst stalls first, and the
/// stalls still going on when a process was killed, from its event stream
/// (also when the process died before its first report). OutputPattern is
/// STALLHOUND_OUTPUT; Started and StartedMs when the command started.
void printRunSummary(const std::string &OutputPattern, time_t Started,
                     uint64_t StartedMs);

/// The processes that wrote reports or event streams in this run.
std::vector<int> runProcessIds(const std::string &OutputPattern,
                               time_t Started);

} // namespace stallhound

#endif
