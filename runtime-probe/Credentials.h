//===- Credentials.h - The host changing its user or group ------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A server started as root often hands its workers to an unprivileged user
// (nginx forks as root, then each worker calls setgid and setuid). Such a
// worker can no longer create files in a root-owned output directory, so the
// probe creates its report files just before root's effective user id goes
// away, and keeps them open. The change itself is recorded for the report.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_CREDENTIALS_H
#define STALLHOUND_PROBE_CREDENTIALS_H

#include <atomic>
#include <cstdint>
#include <sys/types.h>

namespace stallhound::probe {

/// The process's latest change of effective user or group through the
/// hooked calls.
struct CredentialChange {
  std::atomic<bool> Changed{false};
  std::atomic<uint32_t> Uid{0};
  std::atomic<uint32_t> Gid{0};
  std::atomic<uint64_t> AtNs{0}; // monotonic
};

extern CredentialChange TheCredentialChange;

/// A forked child has changed nothing yet.
void forgetCredentialChange();

/// Wraps one setuid-family call of the host. Before it: when the call takes
/// root's effective user id away (NewEuid is neither 0 nor unchanged), the
/// report files are created while they still can be. After it: a change of
/// effective user or group is recorded and streamed. The host sees the
/// call's own result and errno.
class CredentialCall {
public:
  /// NewEuid is uid_t(-1) for calls that leave the effective user alone.
  explicit CredentialCall(uid_t NewEuid);
  int finish(int Result);

private:
  bool Watched;
  uid_t OldEuid = 0;
  gid_t OldEgid = 0;
};

} // namespace stallhound::probe

#endif
