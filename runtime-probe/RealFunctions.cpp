//===- RealFunctions.cpp - Resolving libc's definitions -------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "RealFunctions.h"

#include <cerrno>
#include <dlfcn.h>

namespace stallhound::probe {

namespace {

long missingFunction() {
  errno = ENOSYS;
  return -1;
}

bool sameObject(void *A, void *B) {
  Dl_info InfoA, InfoB;
  return dladdr(A, &InfoA) && dladdr(B, &InfoB) &&
         InfoA.dli_fbase == InfoB.dli_fbase;
}

} // namespace

void *resolveNext(const char *Name, const char *Version) {
  void *Any = dlsym(RTLD_NEXT, Name);
  if (Version) {
    // dlsym may give libc's oldest version (another ABI). But an unversioned
    // definition in a library between the probe and libc (a sanitizer
    // runtime, another interposer) is what the host would call without the
    // probe: dlvsym skips it, so chain to it instead.
    void *Versioned = dlvsym(RTLD_NEXT, Name, Version);
    if (Versioned && (!Any || sameObject(Any, Versioned)))
      return Versioned;
  }
  return Any ? Any : reinterpret_cast<void *>(&missingFunction);
}

} // namespace stallhound::probe
