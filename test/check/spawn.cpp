// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// Where spawned code runs: co_spawn and post to the io_context run it on the
// loop; to a thread_pool (or the system executor), elsewhere. A coroutine that
// is only ever spawned on a pool is not a handler, and the call that makes
// its task does not run its body in the spawner.
#include <utility>

#include <boost/asio.hpp>
#include <unistd.h>

namespace net = boost::asio;

net::awaitable<void> on_loop() {
  sleep(1);
  // CHECK: spawn.cpp:[[@LINE-1]]:3: warning: 'sleep' {{.*}} in coroutine 'on_loop' [stallhound-sleep]
  co_return;
}

net::awaitable<void> on_pool() {
  sleep(2); // spawned on the pool only: fine
  co_return;
}

void start(net::io_context &io, net::thread_pool &pool) {
  net::co_spawn(io, on_loop(), net::detached);
  net::co_spawn(pool, on_pool(), net::detached);
  net::co_spawn(pool.get_executor(), on_pool(), net::detached);
  auto ex = pool.get_executor();
  net::post(ex, [] { usleep(3); }); // a pool's executor kept in a variable
  net::post(net::system_executor(), [] { usleep(4); });
  net::co_spawn(
      io, []() -> net::awaitable<void> {
        usleep(6);
        // CHECK: spawn.cpp:[[@LINE-1]]:9: warning: 'usleep' {{.*}} in coroutine 'lambda at spawn.cpp:[[@LINE-2]]:11'
        co_return;
      },
      net::detached);
}

net::awaitable<void> spawner() {
  auto ex = co_await net::this_coro::executor;
  net::thread_pool pool(2);
  net::co_spawn(pool, on_pool(), net::detached);
  co_return;
}
