// Only this rule, so that the mutex remarks stay out of the way:
// RUN: rm -rf %t.rules && mkdir %t.rules && cp %rules/lock-across-await.json %t.rules/
// RUN: %expect-exit 1 %stallhound check --rules-dir %t.rules %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning:
#include "task.h"

#include <mutex>
#include <shared_mutex>

std::mutex m;
std::shared_mutex rw;
int shared_state = 0;

lib::task handler_holds_lock() {
  std::lock_guard<std::mutex> guard(m);
  shared_state++;
  co_await lib::after_ms(5);
  // CHECK: lock-across-await.cpp:[[@LINE-1]]:3: warning: 'std::lock_guard' is held across a suspension point in coroutine 'handler_holds_lock' [stallhound-lock-across-await]
  // CHECK-NEXT: lock-across-await.cpp:[[@LINE-4]]:31: note: lock 'guard' acquired here is still held
}

lib::task handler_holds_unique_lock_in_branch(bool slow) {
  std::unique_lock<std::mutex> lk(m);
  if (slow) {
    co_await lib::after_ms(5);
    // CHECK: lock-across-await.cpp:[[@LINE-1]]:5: warning: 'std::unique_lock' is held across
  }
}

lib::task handler_holds_shared_lock() {
  std::shared_lock<std::shared_mutex> reader(rw);
  co_await lib::after_ms(5);
  // CHECK: lock-across-await.cpp:[[@LINE-1]]:3: warning: 'std::shared_lock' is held across
}

// Negative: the lock is released before the coroutine suspends.
lib::task handler_scoped_lock() {
  {
    std::lock_guard<std::mutex> guard(m);
    shared_state++;
  }
  co_await lib::after_ms(5);
}

lib::task handler_unlocks_first() {
  std::unique_lock<std::mutex> lk(m);
  shared_state++;
  lk.unlock();
  co_await lib::after_ms(5);
}

lib::task handler_deferred() {
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  co_await lib::after_ms(5);
}

// Negative: a plain function cannot suspend while holding the lock.
void bump() {
  std::lock_guard<std::mutex> guard(m);
  shared_state++;
}

// Negative (C14): a coroutine mutex's lock, acquired with co_await, is meant
// to be held across co_await; its condition variable releases it while it
// waits.
#include "frameworks/cinatra.h"
corolib::coro_mutex cm;
corolib::condition_variable cv;
lib::task handler_coroutine_lock() {
  auto lock = co_await cm.scoped_lock();
  co_await cv.wait(lock);
  shared_state++;
}

// A mutex locked by hand and held across co_await.
lib::task handler_locks_by_hand() {
  m.lock();
  co_await lib::after_ms(5);
  // CHECK: lock-across-await.cpp:[[@LINE-1]]:3: warning: 'std::mutex' is held across a suspension point in coroutine 'handler_locks_by_hand' [stallhound-lock-across-await]
  // CHECK-NEXT: lock-across-await.cpp:[[@LINE-3]]:5: note: lock 'm' acquired here is still held
  m.unlock();
}

// Negative: a coroutine condition variable is given the lock's mutex, and
// releases it while it waits.
struct spin_lock {
  void lock();
  void unlock();
};
struct coro_condition {
  lib::timer wait(spin_lock &);
};
spin_lock queue_lock;
coro_condition queue_ready;
lib::task handler_waits_on_condition() {
  std::unique_lock<spin_lock> lk(queue_lock);
  co_await queue_ready.wait(queue_lock);
  shared_state++;
}
