//===- Probe.h - Probe lifecycle: load, fork, exit --------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_PROBE_H
#define STALLHOUND_PROBE_PROBE_H

namespace stallhound::probe {

/// The process is leaving through exit() or _exit(): label what follows as
/// shutdown, stream an exit event and, when Final (_exit, the probe's
/// destructor), write the final summary. Only in the process that owns the
/// report (not in a vfork child sharing its memory).
void onProcessExit(const char *How, int Status, bool Final);

/// Whether the calling process is the one the probe's state belongs to (not
/// a vfork child sharing its memory).
bool ownsReportFiles();

/// Whether the process started its report (its first loop was found); its
/// background threads may run before, to sample a loop's first step.
bool reportStarted();

} // namespace stallhound::probe

#endif
