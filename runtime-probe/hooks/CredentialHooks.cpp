//===- CredentialHooks.cpp - setuid, setgid and the like ------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Only looked at, never changed: each call is forwarded with its arguments
// and its result and errno are returned as they came (Credentials.h).
//
//===----------------------------------------------------------------------===//

#include "Credentials.h"
#include "RealFunctions.h"

#include <unistd.h>

using namespace stallhound::probe;

namespace {

using SetIdFn = int (*)(unsigned);
using SetReIdFn = int (*)(unsigned, unsigned);
using SetResIdFn = int (*)(unsigned, unsigned, unsigned);

STALLHOUND_REAL(SetIdFn, setuid, nullptr)
STALLHOUND_REAL(SetIdFn, seteuid, nullptr)
STALLHOUND_REAL(SetReIdFn, setreuid, nullptr)
STALLHOUND_REAL(SetResIdFn, setresuid, nullptr)
STALLHOUND_REAL(SetIdFn, setgid, nullptr)
STALLHOUND_REAL(SetIdFn, setegid, nullptr)
STALLHOUND_REAL(SetReIdFn, setregid, nullptr)
STALLHOUND_REAL(SetResIdFn, setresgid, nullptr)

constexpr uid_t Unchanged = uid_t(-1);

} // namespace

STALLHOUND_HOOK int setuid(uid_t Uid) {
  CredentialCall Call(Uid);
  return Call.finish(real_setuid()(Uid));
}

STALLHOUND_HOOK int seteuid(uid_t Euid) {
  CredentialCall Call(Euid);
  return Call.finish(real_seteuid()(Euid));
}

STALLHOUND_HOOK int setreuid(uid_t Ruid, uid_t Euid) {
  CredentialCall Call(Euid);
  return Call.finish(real_setreuid()(Ruid, Euid));
}

STALLHOUND_HOOK int setresuid(uid_t Ruid, uid_t Euid, uid_t Suid) {
  CredentialCall Call(Euid);
  return Call.finish(real_setresuid()(Ruid, Euid, Suid));
}

STALLHOUND_HOOK int setgid(gid_t Gid) {
  CredentialCall Call(Unchanged);
  return Call.finish(real_setgid()(Gid));
}

STALLHOUND_HOOK int setegid(gid_t Egid) {
  CredentialCall Call(Unchanged);
  return Call.finish(real_setegid()(Egid));
}

STALLHOUND_HOOK int setregid(gid_t Rgid, gid_t Egid) {
  CredentialCall Call(Unchanged);
  return Call.finish(real_setregid()(Rgid, Egid));
}

STALLHOUND_HOOK int setresgid(gid_t Rgid, gid_t Egid, gid_t Sgid) {
  CredentialCall Call(Unchanged);
  return Call.finish(real_setresgid()(Rgid, Egid, Sgid));
}
