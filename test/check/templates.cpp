// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// Template instantiations report once, at the template's code; dependent calls
// resolve when the template is instantiated, and even when it never is.
#include "task.h"

#include <chrono>
#include <thread>

template <typename Duration> lib::task wait_then_reply(Duration d) {
  co_await lib::after_ms(1);
  std::this_thread::sleep_for(d);
  // CHECK: templates.cpp:[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' puts the event-loop thread to sleep in coroutine 'wait_then_reply'
}

template <typename T> struct Cache {
  static void refresh(T delay) { std::this_thread::sleep_for(delay); }
};

lib::task handler_refreshes() {
  co_await lib::after_ms(1);
  Cache<std::chrono::seconds>::refresh(std::chrono::seconds(1));
  // CHECK: templates.cpp:[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' puts the event-loop thread to sleep in coroutine 'handler_refreshes' through 'Cache::refresh'
  Cache<std::chrono::milliseconds>::refresh(std::chrono::milliseconds(1));
}

// Never instantiated: the call is matched by name.
template <typename D> lib::task never_used(D d) {
  co_await lib::after_ms(1);
  std::this_thread::sleep_for(d);
  // CHECK: templates.cpp:[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' puts the event-loop thread to sleep in coroutine 'never_used'
}

void instantiate() {
  lib::spawn(wait_then_reply(std::chrono::seconds(1)));
  lib::spawn(wait_then_reply(std::chrono::milliseconds(5)));
}
