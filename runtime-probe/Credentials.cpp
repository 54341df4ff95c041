//===- Credentials.cpp - The host changing its user or group --------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Credentials.h"

#include "Clock.h"
#include "LoopTracker.h"
#include "Probe.h"
#include "ReportWriter.h"
#include "ThreadState.h"

#include <unistd.h>

namespace stallhound::probe {

CredentialChange TheCredentialChange;

void forgetCredentialChange() { TheCredentialChange.Changed.store(false); }

CredentialCall::CredentialCall(uid_t NewEuid)
    : Watched(ProbeActive.load() && !CurrentThread.GuardDepth &&
              ownsReportFiles()) {
  if (!Watched)
    return;
  ErrnoKeeper KeepErrno;
  OldEuid = geteuid();
  OldEgid = getegid();
  if (OldEuid == 0 && NewEuid != 0 && NewEuid != uid_t(-1))
    prepareReportForUserChange();
}

int CredentialCall::finish(int Result) {
  if (!Watched || Result != 0)
    return Result;
  ErrnoKeeper KeepErrno;
  uid_t Euid = geteuid();
  gid_t Egid = getegid();
  if (Euid == OldEuid && Egid == OldEgid)
    return Result;
  TheCredentialChange.Uid.store(uint32_t(Euid));
  TheCredentialChange.Gid.store(uint32_t(Egid));
  TheCredentialChange.AtNs.store(monotonicNs());
  TheCredentialChange.Changed.store(true);
  streamCredentialChange();
  return Result;
}

} // namespace stallhound::probe
