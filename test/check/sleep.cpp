// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
#include "task.h"

#include <chrono>
#include <thread>
#include <time.h>
#include <unistd.h>

using namespace std::chrono_literals;

lib::task handler_sleeps() {
  co_await lib::after_ms(1);
  std::this_thread::sleep_for(100ms);
  // CHECK: sleep.cpp:[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' puts the event-loop thread to sleep in coroutine 'handler_sleeps' [stallhound-sleep]
  // CHECK-NEXT: sleep.cpp:[[@LINE-2]]:3: note: fix: co_await a timer instead
  std::this_thread::sleep_until(std::chrono::steady_clock::now() + 1s);
  // CHECK: sleep.cpp:[[@LINE-1]]:3: warning: 'std::this_thread::sleep_until'
  ::sleep(1);
  // CHECK: sleep.cpp:[[@LINE-1]]:3: warning: 'sleep' puts
  usleep(1000);
  // CHECK: sleep.cpp:[[@LINE-1]]:3: warning: 'usleep' puts
  timespec ts{0, 1000};
  nanosleep(&ts, nullptr);
  // CHECK: sleep.cpp:[[@LINE-1]]:3: warning: 'nanosleep' puts
  clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nullptr);
  // CHECK: sleep.cpp:[[@LINE-1]]:3: warning: 'clock_nanosleep' puts
}

// Negative: the right way to wait.
lib::task handler_awaits_timer() {
  co_await lib::after_ms(100);
}

// Negative (C11): a plain function that no handler reaches may sleep.
void retry_backoff() { std::this_thread::sleep_for(10ms); }

// Negative: a generator only co_yields; it is not a loop handler.
lib::generator numbers() {
  sleep(1);
  co_yield 1;
}

// Negative (C5): the sleeping lambda runs on another thread.
lib::task handler_offloads() {
  std::thread worker([] { std::this_thread::sleep_for(1s); });
  worker.detach();
  co_await lib::after_ms(1);
}
