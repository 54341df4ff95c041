// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// Handlers that are not coroutines: callbacks registered with the loop
// (rules/default.stallhound.json: libuv, asio::post to an io_context, asio's
// async_* completion handlers) and functions annotated stallhound::handler.
// Functions annotated blocking / nonblocking are reported or trusted.
#include <utility>

#include <boost/asio.hpp>
#include <unistd.h>

struct uv_timer_s;
typedef void (*uv_timer_cb)(uv_timer_s *);
int uv_timer_start(uv_timer_s *, uv_timer_cb, unsigned long, unsigned long);

static void on_tick(uv_timer_s *) { usleep(100); }
// CHECK: entry-points.cpp:[[@LINE-1]]:37: warning: 'usleep' puts the event-loop thread to sleep in handler 'on_tick' [stallhound-sleep]

[[clang::annotate("stallhound::blocking")]] int legacy_rpc(int request);
[[clang::annotate("stallhound::nonblocking")]] inline void trace(const char *) {
  usleep(1); // bounded, measured: trusted by its annotation
}

[[clang::annotate("stallhound::handler")]] void on_message(int request) {
  legacy_rpc(request);
  // CHECK: entry-points.cpp:[[@LINE-1]]:3: warning: 'legacy_rpc' is declared blocking and runs on the event-loop thread in handler 'on_message' [stallhound-declared-blocking]
  trace("message");
}

void start(uv_timer_s *timer, boost::asio::io_context &io,
           boost::asio::thread_pool &pool, boost::asio::steady_timer &t) {
  uv_timer_start(timer, on_tick, 100, 100);
  boost::asio::post(io, [] { sleep(1); });
  // CHECK: entry-points.cpp:[[@LINE-1]]:30: warning: 'sleep' puts the event-loop thread to sleep in handler 'lambda at entry-points.cpp:[[@LINE-1]]:25'
  boost::asio::post(pool, [] { sleep(2); }); // runs on the pool: fine
  t.async_wait([](boost::system::error_code) { usleep(5); });
  // CHECK: entry-points.cpp:[[@LINE-1]]:48: warning: 'usleep' puts the event-loop thread to sleep in handler 'lambda at entry-points.cpp:[[@LINE-1]]:16'
}

// Negative: nothing registers this callback with a loop.
static void unused_callback(uv_timer_s *) { usleep(100); }
