//===- RealFunctions.h - The functions the hooks forward to -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_REALFUNCTIONS_H
#define STALLHOUND_PROBE_REALFUNCTIONS_H

#include <atomic>

namespace stallhound::probe {

/// The next definition of Name after the probe (libc's), of Version when the
/// symbol has several (clock_nanosleep, pthread_cond_wait, ...). Never null:
/// a missing function resolves to a stub that fails with ENOSYS.
void *resolveNext(const char *Name, const char *Version);

/// Resolve, once at load, what the probe's own signal handler may reach:
/// libc's syscall() and the mutex functions (libunwind locks one).
void resolveSyscall();
void resolveLockFunctions();

} // namespace stallhound::probe

/// Defines real_NAME(), returning libc's NAME as a pointer of type TYPE,
/// resolved on first use (hooks can run before the probe's constructor).
#define STALLHOUND_REAL(TYPE, NAME, VERSION)                                   \
  static TYPE real_##NAME() {                                                  \
    static std::atomic<TYPE> Resolved{nullptr};                                \
    TYPE F = Resolved.load(std::memory_order_relaxed);                         \
    if (!F) {                                                                  \
      F = reinterpret_cast<TYPE>(                                              \
          ::stallhound::probe::resolveNext(#NAME, VERSION));                   \
      Resolved.store(F, std::memory_order_relaxed);                            \
    }                                                                          \
    return F;                                                                  \
  }

/// Marks a hook: an exported C symbol that interposes on libc's.
#define STALLHOUND_HOOK extern "C" __attribute__((visibility("default")))

/// The address the hook returns to: the host's call site.
#define STALLHOUND_CALL_SITE()                                                 \
  reinterpret_cast<uintptr_t>(__builtin_return_address(0))

#endif
