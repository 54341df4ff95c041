// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
#include "task.h"

lib::task write_audit_record(int id) {
  co_await lib::after_ms(id);
}

lib::task handler_forgets_await() {
  write_audit_record(1);
  // CHECK: discarded-task.cpp:[[@LINE-1]]:3: warning: the task returned by 'write_audit_record' is discarded and never awaited in coroutine 'handler_forgets_await' [stallhound-discarded-task]
  auto pending = write_audit_record(2);
  // CHECK: discarded-task.cpp:[[@LINE-1]]:8: warning: the task returned by 'write_audit_record' is discarded and never awaited (stored in 'pending' but never awaited)
  co_await lib::after_ms(1);
}

// Also outside handlers: a discarded task never runs, wherever it is.
void start_background_job() {
  write_audit_record(3);
  // CHECK: discarded-task.cpp:[[@LINE-1]]:3: warning: the task returned by 'write_audit_record' is discarded and never awaited in 'start_background_job'
}

// Negative: awaited, spawned, kept for later, or deliberately dropped.
lib::task handler_awaits() {
  co_await write_audit_record(4);
  lib::spawn(write_audit_record(5));
  auto later = write_audit_record(6);
  co_await later;
  (void)write_audit_record(7);
}

// Negative: a generator that nobody pulls from runs nothing, and is no task.
lib::generator numbers_from(int first) { co_yield first; }
void make_generators() {
  numbers_from(1);
}
