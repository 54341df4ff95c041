// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// Calls inside a lambda belong to the lambda: a coroutine lambda is a handler
// of its own, a lambda handed to another thread is not the loop's business,
// and a lambda the handler calls itself is followed like any function.
#include "task.h"

#include <functional>
#include <future>
#include <thread>
#include <unistd.h>

void post_to_pool(std::function<void()> work);

lib::task handler_with_lambdas() {
  co_await lib::after_ms(1);
  post_to_pool([] { sleep(1); });
  auto fut = std::async(std::launch::async, [] { usleep(10); });
  std::thread([] { sleep(2); }).detach();
  auto now = [] { sleep(3); };
  now();
  // CHECK: lambdas.cpp:[[@LINE-1]]:3: warning: 'sleep' puts the event-loop thread to sleep in coroutine 'handler_with_lambdas' through 'lambda at lambdas.cpp:[[@LINE-2]]:14'
}

auto coroutine_lambda = []() -> lib::task {
  co_await lib::after_ms(1);
  usleep(500);
  // CHECK: lambdas.cpp:[[@LINE-1]]:3: warning: 'usleep' puts the event-loop thread to sleep in coroutine 'lambda at lambdas.cpp:[[@LINE-3]]:25'
};
