//===- Watchdog.h - Samples loops that stay busy past the threshold -*- C++
//-*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_WATCHDOG_H
#define STALLHOUND_PROBE_WATCHDOG_H

#include <atomic>
#include <cstdint>

namespace stallhound::probe {

struct SamplingState {
  std::atomic<bool> Enabled{false};
  int Signal = 0;
  /// Why sampling is off ("disabled by STALLHOUND_SAMPLE=0", "the host
  /// installed a handler for signal N", ...); null while it is on.
  std::atomic<const char *> OffReason{nullptr};
  std::atomic<uint64_t> SignalsSent{0};
  std::atomic<uint64_t> SamplesTaken{0};
  std::atomic<uint64_t> SamplesLate{0};
};

extern SamplingState TheSampling;

/// Odd while the Python helper holds the GIL; bumped twice per read. A loop
/// thread that waited for the GIL meanwhile was waiting for the probe, not for
/// the host: the lock hooks drop such waits.
extern std::atomic<uint32_t> PythonHelperEpoch;

/// Whether the Python helper held the GIL at some time since EpochBefore was
/// read from PythonHelperEpoch.
inline bool pythonHelperInterfered(uint32_t EpochBefore) {
  uint32_t Epoch = PythonHelperEpoch.load(std::memory_order_seq_cst);
  return Epoch != EpochBefore || (Epoch & 1);
}

/// Installs the sampling signal handler (when the signal is free) and starts
/// the watchdog and report threads, with every signal blocked.
void startBackgroundThreads();

/// Asks the Python helper thread to look at the loops (GIL attribution).
/// Async-signal-safe and lock-free; a no-op outside CPython.
void wakePythonHelper();

/// The host asked for a handler on Signal: if it is ours, stop sampling and
/// let the host have it. Returns true when Signal is the sampling signal.
bool hostClaimsSignal(int Signal);
/// Whether the sampling handler is installed on Signal (the host must see
/// the disposition it would see without the probe: SIG_DFL).
bool probeOwnsSignal(int Signal);

} // namespace stallhound::probe

#endif
