// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// C6: after a co_await that moves the coroutine to a thread pool, blocking work
// runs on the pool and is fine, until the coroutine comes back to the loop.
#include <utility>

#include "task.h"

#include <boost/asio.hpp>
#include <chrono>
#include <thread>
#include <unistd.h>

namespace net = boost::asio;
using namespace std::chrono_literals;

net::awaitable<void> render_report(net::thread_pool &pool) {
  auto loop = co_await net::this_coro::executor;
  usleep(10);
  // CHECK: executor-switch.cpp:[[@LINE-1]]:3: warning: 'usleep' puts the event-loop thread to sleep in coroutine 'render_report'
  co_await net::post(pool, net::use_awaitable);
  std::this_thread::sleep_for(50ms); // on the pool: fine
  usleep(20);                        // still on the pool
  co_await net::post(loop, net::use_awaitable);
  usleep(30);
  // CHECK: executor-switch.cpp:[[@LINE-1]]:3: warning: 'usleep' puts the event-loop thread to sleep in coroutine 'render_report'
}

net::awaitable<void> dispatch_to_pool(net::thread_pool &pool) {
  co_await net::dispatch(pool.get_executor(), net::use_awaitable);
  sleep(1); // on the pool: fine
}

// The same with a scheduler that has schedule() (libcoro, cppcoro).
struct thread_pool {
  struct awaiter {
    bool await_ready() { return false; }
    void await_suspend(std::coroutine_handle<>) {}
    void await_resume() {}
  };
  awaiter schedule();
};

lib::task hop_with_schedule(thread_pool &tp) {
  co_await tp.schedule();
  sleep(2); // on the pool: fine
}
