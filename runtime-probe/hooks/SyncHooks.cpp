//===- SyncHooks.cpp - Lock, condition, join and semaphore waits ----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "BlockingCalls.h"
#include "GilContention.h"
#include "PythonGil.h"
#include "RealFunctions.h"
#include "Watchdog.h"

#include <cerrno>
#include <pthread.h>
#include <semaphore.h>
#include <sys/file.h>

using namespace stallhound::probe;

namespace {

using MutexFn = int (*)(pthread_mutex_t *);
using CondWaitFn = int (*)(pthread_cond_t *, pthread_mutex_t *);
using CondTimedWaitFn = int (*)(pthread_cond_t *, pthread_mutex_t *,
                                const timespec *);
using JoinFn = int (*)(pthread_t, void **);
using SemWaitFn = int (*)(sem_t *);
using SemTimedWaitFn = int (*)(sem_t *, const timespec *);
using FlockFn = int (*)(int, int);

STALLHOUND_REAL(MutexFn, pthread_mutex_lock, nullptr)
STALLHOUND_REAL(MutexFn, pthread_mutex_trylock, nullptr)
// Both have an old GLIBC_2.2.5 version with another ABI: ask for the new one.
STALLHOUND_REAL(CondWaitFn, pthread_cond_wait, "GLIBC_2.3.2")
STALLHOUND_REAL(CondTimedWaitFn, pthread_cond_timedwait, "GLIBC_2.3.2")
STALLHOUND_REAL(JoinFn, pthread_join, "GLIBC_2.34")
STALLHOUND_REAL(SemWaitFn, sem_wait, "GLIBC_2.34")
STALLHOUND_REAL(SemWaitFn, sem_trywait, "GLIBC_2.34")
STALLHOUND_REAL(SemTimedWaitFn, sem_timedwait, "GLIBC_2.34")
STALLHOUND_REAL(FlockFn, flock, nullptr)

/// Ends a condition or lock wait. A wait that overlapped the probe's Python
/// helper holding the GIL may have been a wait for the probe: dropped. The
/// Python stack is never read here (the interpreter may be inside its own GIL
/// code).
void endLockWait(const CallTicket &C, const char *Call, uint32_t EpochBefore,
                 uintptr_t CallSite) {
  if (pythonHelperInterfered(EpochBefore))
    endCallQuietly(C);
  else
    endWait(C, Call, CallSite);
}

/// Ends a condition wait or a contended lock: in a CPython process, a wait
/// for the GIL is loop time lost to another Python thread (GilContention.h),
/// not a blocking call.
void endInterpreterWait(const CallTicket &C, const GilWait &Gil,
                        const char *Call, uint32_t EpochBefore,
                        uintptr_t CallSite) {
  if (!C.Slot || !Gil.IsGilWait)
    return endLockWait(C, Call, EpochBefore, CallSite);
  ErrnoKeeper KeepErrno;
  uint64_t DurationNs = ticksToNs(loopTicks() - C.StartTicks);
  endCallQuietly(C);
  if (!pythonHelperInterfered(EpochBefore))
    recordGilWait(C.Slot, DurationNs, Gil.Holder);
}

GilWait classifyIfLoop(const CallTicket &C, uintptr_t CallSite) {
  return C.Slot ? classifyInterpreterWait(CallSite) : GilWait();
}

} // namespace

namespace stallhound::probe {

/// Resolved at load: the sampling handler's unwinder locks a mutex through
/// the hook, and dlsym is no function for a signal handler.
void resolveLockFunctions() {
  real_pthread_mutex_lock();
  real_pthread_mutex_trylock();
}

} // namespace stallhound::probe

STALLHOUND_HOOK int pthread_mutex_lock(pthread_mutex_t *Mutex) {
  if (!busyLoopSlot())
    return real_pthread_mutex_lock()(Mutex);
  // Only the contended path is timed.
  int Result = real_pthread_mutex_trylock()(Mutex);
  if (Result != EBUSY)
    return Result;
  CallTicket C = beginCall("pthread_mutex_lock", STALLHOUND_CALL_SITE());
  GilWait Gil = classifyIfLoop(C, STALLHOUND_CALL_SITE());
  uint32_t Epoch = PythonHelperEpoch.load(std::memory_order_seq_cst);
  Result = real_pthread_mutex_lock()(Mutex);
  endInterpreterWait(C, Gil, "pthread_mutex_lock", Epoch,
                     STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int pthread_cond_wait(pthread_cond_t *Condition,
                                      pthread_mutex_t *Mutex) {
  CallTicket C = beginCall("pthread_cond_wait", STALLHOUND_CALL_SITE());
  GilWait Gil = classifyIfLoop(C, STALLHOUND_CALL_SITE());
  uint32_t Epoch = PythonHelperEpoch.load(std::memory_order_seq_cst);
  int Result = real_pthread_cond_wait()(Condition, Mutex);
  endInterpreterWait(C, Gil, "pthread_cond_wait", Epoch,
                     STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int pthread_cond_timedwait(pthread_cond_t *Condition,
                                           pthread_mutex_t *Mutex,
                                           const timespec *Deadline) {
  CallTicket C = beginCall("pthread_cond_timedwait", STALLHOUND_CALL_SITE());
  GilWait Gil = classifyIfLoop(C, STALLHOUND_CALL_SITE());
  uint32_t Epoch = PythonHelperEpoch.load(std::memory_order_seq_cst);
  int Result = real_pthread_cond_timedwait()(Condition, Mutex, Deadline);
  endInterpreterWait(C, Gil, "pthread_cond_timedwait", Epoch,
                     STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int pthread_join(pthread_t Thread, void **Value) {
  CallTicket C = beginCall("pthread_join", STALLHOUND_CALL_SITE());
  int Result = real_pthread_join()(Thread, Value);
  endWait(C, "pthread_join", STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int sem_wait(sem_t *Semaphore) {
  if (!busyLoopSlot())
    return real_sem_wait()(Semaphore);
  // A semaphore that is available does not block: only waits are timed.
  if (real_sem_trywait()(Semaphore) == 0)
    return 0;
  CallTicket C = beginCall("sem_wait", STALLHOUND_CALL_SITE());
  int Result = real_sem_wait()(Semaphore);
  endWait(C, "sem_wait", STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int sem_timedwait(sem_t *Semaphore, const timespec *Deadline) {
  if (!busyLoopSlot())
    return real_sem_timedwait()(Semaphore, Deadline);
  if (real_sem_trywait()(Semaphore) == 0)
    return 0;
  CallTicket C = beginCall("sem_timedwait", STALLHOUND_CALL_SITE());
  int Result = real_sem_timedwait()(Semaphore, Deadline);
  endWait(C, "sem_timedwait", STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK int flock(int Fd, int Operation) {
  CallTicket C = beginCall("flock", STALLHOUND_CALL_SITE());
  int Result = real_flock()(Fd, Operation);
  if (Operation & LOCK_NB)
    endCallQuietly(C);
  else
    endWait(C, "flock", STALLHOUND_CALL_SITE());
  return Result;
}
