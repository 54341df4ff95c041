// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags -isystem %S/Inputs/system | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// A blocking call hidden in a macro is reported where the macro is used.
#include "task.h"

#include <libloop.h>
#include <unistd.h>

#define BACKOFF(us) usleep(us)
#define RETRY_LOOP(n, body)                                                    \
  for (int attempt = 0; attempt < (n); ++attempt) {                            \
    body;                                                                      \
  }

lib::task handler_backs_off(int attempts) {
  co_await lib::after_ms(1);
  BACKOFF(1000);
  // CHECK: macros.cpp:[[@LINE-1]]:3: warning: 'usleep' puts the event-loop thread to sleep in coroutine 'handler_backs_off'
  RETRY_LOOP(attempts, (void)0);
  // CHECK: macros.cpp:[[@LINE-1]]:3: warning: loop without a suspension point {{.*}}(bound '(n)' depends on a parameter)
}

// Negative: the macro is used outside any handler.
void startup() { BACKOFF(1000); }

// Negative: a loop that a library's macro writes is the library's own control
// flow, not the handler's.
lib::task handler_uses_library_macro(const bool *ready) {
  co_await lib::after_ms(1);
  LIB_WAIT_FOR(ready)
}
