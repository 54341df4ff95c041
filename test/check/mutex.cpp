// Remarks are listed but do not fail a run unless --fail-on remark asks.
// RUN: %expect-exit 0 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// RUN: %expect-exit 1 %stallhound check --fail-on remark %s -- %cxxflags > /dev/null
// RUN: %expect-exit 0 %stallhound check --fail-on error %s -- %cxxflags > /dev/null
#include "task.h"

#include <mutex>
#include <pthread.h>

std::mutex m;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
int counter = 0;

lib::task handler_locks() {
  co_await lib::after_ms(1);
  {
    std::lock_guard<std::mutex> guard(m);
    // CHECK: mutex.cpp:[[@LINE-1]]:33: remark: 'std::lock_guard' may block the event-loop thread while another thread holds the lock in coroutine 'handler_locks' [stallhound-mutex]
    ++counter;
  }
  // Every lock of one mutex in a handler is one finding, with notes.
  m.lock();
  // CHECK-NEXT: mutex.cpp:[[@LINE-1]]:5: note: 'handler_locks' also calls 'std::mutex::lock' here
  m.unlock();
  {
    std::unique_lock<std::mutex> lk(m);
    // CHECK-NEXT: mutex.cpp:[[@LINE-1]]:34: note: 'handler_locks' also calls 'std::unique_lock' here
  }
  {
    std::scoped_lock both(m);
    // CHECK-NEXT: mutex.cpp:[[@LINE-1]]:22: note: 'handler_locks' also calls 'std::scoped_lock' here
  }
  pthread_mutex_lock(&pm);
  // CHECK: mutex.cpp:[[@LINE-1]]:3: remark: 'pthread_mutex_lock' may block
  pthread_mutex_unlock(&pm);
  pthread_mutex_lock(&pm);
  // CHECK-NEXT: mutex.cpp:[[@LINE-1]]:3: note: 'handler_locks' also calls 'pthread_mutex_lock' here
  pthread_mutex_unlock(&pm);
}

// Negative (C12): try_lock and the lock tags never wait.
lib::task handler_tries() {
  co_await lib::after_ms(1);
  if (m.try_lock())
    m.unlock();
  std::unique_lock<std::mutex> deferred(m, std::defer_lock);
  std::unique_lock<std::mutex> tried(m, std::try_to_lock);
  if (pthread_mutex_trylock(&pm) == 0)
    pthread_mutex_unlock(&pm);
}
