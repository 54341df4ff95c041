//===- Merge.h - Many static and runtime reports as one ---------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_REPORT_MERGE_H
#define STALLHOUND_REPORT_MERGE_H

#include "ReportModel.h"
#include "ReportReader.h"

namespace stallhound::report {

/// Static findings reported by several shards are kept once (sorted by
/// location). Runtime findings with the same kind, phase, call, handler and
/// stack, from any number of processes, become one: counts and totals add
/// up, the maximum is kept, and the processes are listed. Sorted by total
/// time, longest first.
Report mergeInputs(ReportInputs Inputs);

/// What identifies a runtime finding across processes and runs: no pids,
/// addresses or times.
std::string runtimeKey(const RuntimeFinding &F);

/// A function name without its parameters and clone suffixes, so that the
/// probe's "demo::handle_nap(...) [clone .actor]" and the analyzer's
/// "demo::handle_nap" compare equal.
std::string plainFunctionName(const std::string &Name);

} // namespace stallhound::report

#endif
