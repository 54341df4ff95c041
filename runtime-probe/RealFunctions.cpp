//===- RealFunctions.cpp - Resolving libc's definitions -------------------===//

#include "RealFunctions.h"

#include <cerrno>
#include <dlfcn.h>

namespace stallhound::probe {

namespace {

long missingFunction() {
  errno = ENOSYS;
  return -1;
}

} // namespace

void *resolveNext(const char *Name, const char *Version) {
  void *F = nullptr;
  if (Version)
    F = dlvsym(RTLD_NEXT, Name, Version);
  if (!F)
    F = dlsym(RTLD_NEXT, Name);
  return F ? F : reinterpret_cast<void *>(&missingFunction);
}

} // namespace stallhound::probe
