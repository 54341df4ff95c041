//===- EventStream.h - What a probe's event stream tells after a run -*- C++
//-*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The NDJSON stream beside each probe report is written as things happen, so
// it outlives a process killed with SIGKILL, whose JSON report is at best a
// second old and never holds a stall that was still going on.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_CLI_EVENTSTREAM_H
#define STALLHOUND_CLI_EVENTSTREAM_H

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stallhound {

struct EventStreamSummary {
  bool Readable = false;
  int Pid = 0;
  /// The process streamed its "exit" line (exit, _exit): it was not killed.
  bool Exited = false;
  /// The newest "open-stall" line of each stall no "stall" line closed, in
  /// the order they opened.
  std::vector<nlohmann::json> OpenStalls;
};

/// REPORT.events.ndjson for REPORT.json.
std::string eventStreamOf(const std::string &ReportPath);

/// Reads a stream line by line; a line that is not JSON ends it (a stream
/// cut short by a full disk or by the kill itself).
EventStreamSummary readEventStream(const std::string &Path);

} // namespace stallhound

#endif
