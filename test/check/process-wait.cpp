// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
#include "task.h"

#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <thread>

lib::task handler_runs_tools(pid_t child) {
  co_await lib::after_ms(1);
  std::system("gzip -9 big.log");
  // CHECK: process-wait.cpp:[[@LINE-1]]:3: warning: 'system' waits for another process or thread on the event-loop thread in coroutine 'handler_runs_tools' [stallhound-process-wait]
  FILE *p = popen("ls", "r");
  // CHECK: process-wait.cpp:[[@LINE-1]]:13: warning: 'popen' waits
  pclose(p);
  // CHECK: process-wait.cpp:[[@LINE-1]]:3: note: 'handler_runs_tools' also calls 'pclose' here
  int status = 0;
  waitpid(child, &status, 0);
  // CHECK: process-wait.cpp:[[@LINE-1]]:3: warning: 'waitpid' waits
  std::thread worker([] {});
  worker.join();
  // CHECK: process-wait.cpp:[[@LINE-1]]:10: warning: 'std::thread::join' waits
}

// Negative (C12): WNOHANG polls without waiting.
lib::task handler_reaps(pid_t child) {
  co_await lib::after_ms(1);
  int status = 0;
  waitpid(child, &status, WNOHANG);
}
