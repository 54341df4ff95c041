// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// NOLINT comments work as in clang-tidy, on the reported line, on the line
// of the blocking call (for findings through a call chain), or above them.
#include "task.h"

#include <unistd.h>

void legacy_flush() {
  usleep(10); // NOLINT(stallhound-sleep): measured, 10 us at most
}

void legacy_wait() { usleep(20); }

lib::task handler() {
  co_await lib::after_ms(1);
  sleep(1); // NOLINT
  sleep(2); // NOLINT(stallhound-sleep)
  sleep(3); // NOLINT(stallhound-*)
  // NOLINTNEXTLINE(stallhound-sleep)
  sleep(4);
  sleep(5); // NOLINT(stallhound-file-io)
  // CHECK: suppressions.cpp:[[@LINE-1]]:3: warning: 'sleep' puts the event-loop thread to sleep
  sleep(6); // NOLINTNEXTLINE(stallhound-sleep) applies to the next line only
  // CHECK: suppressions.cpp:[[@LINE-1]]:3: warning: 'sleep' puts
  legacy_flush();
  legacy_wait();
  // CHECK: suppressions.cpp:[[@LINE-1]]:3: warning: 'usleep' puts the event-loop thread to sleep in coroutine 'handler' through 'legacy_wait'
}
// CHECK: stallhound: 1 translation unit analyzed, 0 failed, 3 findings (sleep: 3), 5 silenced by NOLINT
