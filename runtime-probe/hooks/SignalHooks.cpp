//===- SignalHooks.cpp - Keep the sampling signal invisible to the host ---===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The host sees SIG_DFL for the sampling signal, as it would without the
// probe. When it installs a handler for it, the probe steps aside: sampling
// stops, everything else goes on.
//
//===----------------------------------------------------------------------===//

#include "RealFunctions.h"
#include "Watchdog.h"

#include <csignal>

using namespace stallhound::probe;

namespace {

using SigactionFn = int (*)(int, const struct sigaction *, struct sigaction *);
using SignalFn = sighandler_t (*)(int, sighandler_t);

STALLHOUND_REAL(SigactionFn, sigaction, nullptr)
STALLHOUND_REAL(SignalFn, signal, nullptr)

void showDefault(struct sigaction *Old) {
  if (!Old)
    return;
  Old->sa_handler = SIG_DFL;
  Old->sa_flags = 0;
  sigemptyset(&Old->sa_mask);
}

} // namespace

STALLHOUND_HOOK int sigaction(int Signal, const struct sigaction *Action,
                              struct sigaction *Old) {
  bool Ours = probeOwnsSignal(Signal);
  if (Action && Ours)
    hostClaimsSignal(Signal);
  int Result = real_sigaction()(Signal, Action, Old);
  if (Ours && Result == 0)
    showDefault(Old);
  return Result;
}

STALLHOUND_HOOK sighandler_t signal(int Signal, sighandler_t Handler) {
  bool Ours = probeOwnsSignal(Signal);
  if (Ours)
    hostClaimsSignal(Signal);
  sighandler_t Old = real_signal()(Signal, Handler);
  return Ours && Old != SIG_ERR ? SIG_DFL : Old;
}
