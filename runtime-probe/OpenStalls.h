//===- OpenStalls.h - Stalls in progress, streamed as they last -*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A stall is recorded when its iteration ends; a process killed in the middle
// of one (a liveness probe's SIGKILL on a hung loop) would leave no trace of
// it. So the watchdog streams an "open-stall" line once a loop passes the
// threshold, and a newer one every 250 ms while it lasts (every 5 s after the
// first 5 s, at most 100 per stall). The stall's own line, when the
// iteration ends, closes them.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_OPENSTALLS_H
#define STALLHOUND_PROBE_OPENSTALLS_H

#include <cstdint>

namespace stallhound::probe {

/// The watchdog's tick: streams the loops stalled at NowTicks that are due.
/// Only ever called from the watchdog thread (it names frames, allocating).
void streamOpenStalls(uint64_t NowTicks);

/// In a forked child: forgets the parent's open stalls (without touching
/// what the parent's watchdog may have been using).
void forgetOpenStalls();

} // namespace stallhound::probe

#endif
