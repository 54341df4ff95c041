//===- ServingPhase.h - When a server starts and stops serving --*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// For a server, startup is everything before it serves: importing the app,
// startup hooks, loading data. It ends when the loop first waits after the
// process called listen(); shutdown begins when the process closes the last
// socket it listens on. A process that never listens (a worker, a client)
// has only its first iteration as startup, which is only known at the end:
// iterations before any listen() are recorded as BeforeListen and labeled in
// the report.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_SERVINGPHASE_H
#define STALLHOUND_PROBE_SERVINGPHASE_H

#include <cstdint>

namespace stallhound::probe {

/// A successful listen() on Fd.
void noteListening(int Fd);
/// Fd is being closed: was it the last listening socket?
void noteClosing(int Fd);

/// Loop-clock ticks of the process's first listen(), 0 if none yet.
uint64_t firstListenTicks();
/// Whether the process closed every socket it listened on.
bool servingEnded();

} // namespace stallhound::probe

#endif
