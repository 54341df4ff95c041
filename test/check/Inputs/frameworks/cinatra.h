// A tiny stand-in for cinatra's API (the names the cinatra preset knows).
#pragma once
#include "task.h"

#include <functional>
#include <mutex>
#include <string>

namespace cinatra {
struct coro_http_request {};
struct coro_http_response {
  void set_status_and_content(int, std::string) {}
};
enum http_method { GET, POST };
class coro_http_server {
public:
  template <http_method... Methods, typename Func>
  void set_http_handler(std::string key, Func handler) {}
};
} // namespace cinatra

namespace coro_io {
struct ExecutorWrapper {};
ExecutorWrapper *get_global_block_executor();
ExecutorWrapper *get_io_executor();
// Runs func on the executor (by default the one meant for blocking work).
template <typename Func>
lib::task post(Func func, ExecutorWrapper *e = get_global_block_executor()) {
  co_return;
}
} // namespace coro_io

// A coroutine mutex: co_await m.scoped_lock() gives a lock that a coroutine
// condition variable releases while it waits.
namespace corolib {
struct mutex {
  void lock();
  void unlock();
};
struct lock_task {
  bool await_ready();
  void await_suspend(std::coroutine_handle<>);
  std::unique_lock<mutex> await_resume();
};
struct coro_mutex : mutex {
  lock_task scoped_lock();
};
struct condition_variable {
  lib::timer wait(std::unique_lock<mutex> &);
};
} // namespace corolib
