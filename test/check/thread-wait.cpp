// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
#include "task.h"

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <pthread.h>
#include <semaphore.h>

using namespace std::chrono_literals;

std::mutex m;
std::condition_variable cv;
bool ready = false;

lib::task handler_waits(std::future<int> result, sem_t *sem, pthread_t t) {
  co_await lib::after_ms(1);
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  cv.wait(lk, [] { return ready; });
  // CHECK: thread-wait.cpp:[[@LINE-1]]:6: warning: 'std::condition_variable::wait' waits for another thread on the event-loop thread in coroutine 'handler_waits' [stallhound-thread-wait]
  cv.wait_for(lk, 5s);
  // CHECK: thread-wait.cpp:[[@LINE-1]]:6: note: 'handler_waits' also calls 'std::condition_variable::wait_for' here
  result.wait();
  // CHECK: thread-wait.cpp:[[@LINE-1]]:10: warning: 'std::__basic_future::wait' waits
  int v = result.get();
  // CHECK: thread-wait.cpp:[[@LINE-1]]:18: note: 'handler_waits' also calls 'std::future::get' here
  sem_wait(sem);
  // CHECK: thread-wait.cpp:[[@LINE-1]]:3: warning: 'sem_wait' waits
  pthread_join(t, nullptr);
  // CHECK: thread-wait.cpp:[[@LINE-1]]:3: warning: 'pthread_join' waits
  (void)v;
}

// Negative (C12): a zero timeout only polls.
lib::task handler_polls(std::future<int> result) {
  co_await lib::after_ms(1);
  if (result.wait_for(0s) == std::future_status::ready)
    co_return;
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  cv.wait_for(lk, std::chrono::milliseconds(0));
}
