//===- Settings.h - STALLHOUND_* environment settings -----------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_SETTINGS_H
#define STALLHOUND_PROBE_SETTINGS_H

#include <cstdint>

namespace stallhound::probe {

struct Settings {
  /// Report pattern; %p expands to the pid.
  char OutputPattern[512] = "stallhound-%p.json";
  uint64_t ThresholdNs = 100'000'000;
  /// A call on a blocking-mode socket or pipe that took less than this is
  /// latent-blocking, longer is blocking-call.
  uint64_t BlockingNs = 1'000'000;
  bool Sample = true;
  int SampleSignal = 0; // 0: choose one at start
  uint64_t FlushNs = 1'000'000'000;
  unsigned StacksPerSecond = 20;
  bool ReportLatent = true;
  bool Disabled = false;
  int RootPid = 0;
  /// Where reports go when the output directory refuses the process (it
  /// runs as another user): stallhound-UID inside it.
  char FallbackDir[512] = "/tmp";
};

/// Reads the STALLHOUND_* settings with secure_getenv. A malformed value gets
/// one line on stderr and keeps its default.
void readSettings(Settings &S);

extern Settings TheSettings;

} // namespace stallhound::probe

#endif
