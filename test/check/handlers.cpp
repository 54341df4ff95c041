// RUN: rm -rf %t && mkdir -p %t && cp %s %t/handlers.cpp
// RUN: echo '{"handlers": [{"function": "http_server::set_handler", "arg": 0}]}' > %t/.stallhound.json
// RUN: %expect-exit 1 %stallhound check %t/handlers.cpp -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// What counts as a handler: every coroutine that returns a task runs where
// it is started, on the loop, whatever its body contains; a generator that
// never awaits runs in its consumer; a coroutine spawned on a thread pool
// runs there.
#include "task.h"

#include <fstream>
#include <string>
#include <unistd.h>

// A task that only co_returns: it still runs on the loop thread.
lib::task write_audit(std::string line) {
  std::ofstream log("/var/log/audit.log");
  // CHECK: handlers.cpp:[[@LINE-1]]:17: warning: 'std::basic_ofstream' does synchronous file I/O on the event-loop thread in coroutine 'write_audit' [stallhound-file-io]
  log << line;
  co_return;
}

// A task whose body has no co_await nor co_return at all but for one in a
// template: the same, once instantiated and as a template.
template <typename T> lib::task store(T value) {
  usleep(5);
  // CHECK: handlers.cpp:[[@LINE-1]]:3: warning: 'usleep' {{.*}} in coroutine 'store' [stallhound-sleep]
  co_return;
}
void use_store() { lib::spawn(store(1)); }

// Negative: a generator that never awaits runs as far as its consumer pulls,
// in the consumer's thread.
lib::generator numbers() {
  for (int i = 0;; ++i)
    co_yield i;
}
lib::generator lines_of_file() {
  std::ifstream in("/etc/hosts");
  co_yield 1;
}

// Negative: a task run on the calling thread (sync_wait, resume() by hand)
// is no handler of its own; its caller is not either.
lib::task slow_setup() {
  usleep(100);
  co_return;
}
lib::task slow_check() {
  usleep(200);
  co_return;
}
int main() {
  lib::sync_wait(slow_setup());
  lib::task t = slow_check();
  t.handle.resume();
}

// Positive: a task that a handler waits for synchronously runs on the loop
// thread, all of it.
lib::task slow_lookup() {
  usleep(300);
  // CHECK: handlers.cpp:[[@LINE-1]]:3: warning: 'usleep' {{.*}} in coroutine 'slow_lookup'
  co_return;
}
lib::task handler_waits_for_task() {
  co_await lib::after_ms(1);
  lib::sync_wait(slow_lookup());
}

// A task run with sync_wait from a plain thread runs there until it first
// suspends; after that it runs where it resumed: the loop that completed
// what it awaited.
lib::task send_email() {
  usleep(10); // on the caller's thread
  co_await lib::after_ms(1);
  std::ifstream body("mail.txt");
  // CHECK: handlers.cpp:[[@LINE-1]]:17: warning: 'std::basic_ifstream' {{.*}} in coroutine 'send_email'
}
int mail_main() {
  lib::sync_wait(send_email());
  return 0;
}

// Negative: a task awaited only after the caller moved to a thread pool
// runs on the pool.
lib::task crunch() {
  usleep(400);
  co_return;
}
lib::task handler_offloads(lib::thread_pool &pool) {
  co_await pool.schedule();
  co_await crunch();
}

// Negative: a task that is only ever awaited by a coroutine that runs on the
// calling thread (sync_wait) runs there too; awaited by a handler, it is a
// handler itself.
lib::task upload_fixture() {
  std::ofstream out("fixture.bin");
  // CHECK: handlers.cpp:[[@LINE-1]]:17: warning: 'std::basic_ofstream' {{.*}} in coroutine 'upload_fixture'
  co_return;
}
lib::task prepare_fixture() {
  std::ofstream out("prepare.bin");
  co_return;
}
lib::task run_example() {
  co_await prepare_fixture();
  co_await lib::after_ms(1);
}
int example_main() {
  lib::sync_wait(run_example());
  return 0;
}
lib::task handler_uploads() {
  co_await upload_fixture();
}

// Negative: code after a return never runs, so the handler it would register
// is none.
struct http_server {
  template <typename F> void set_handler(F f) {}
};
void disabled_demo(http_server &server) {
  return; // remove this line to run the demo
  server.set_handler([] { usleep(500); });
}
