// Tiny stand-ins for a coroutine library, so that each test reads on one screen.
#pragma once
#include <coroutine>
#include <exception>

namespace lib {

struct task {
  struct promise_type {
    task get_return_object() {
      return task{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
  std::coroutine_handle<promise_type> handle;
};

struct generator {
  struct promise_type {
    int value = 0;
    generator get_return_object() {
      return generator{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int v) {
      value = v;
      return {};
    }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

// An awaitable timer: what a handler should await instead of sleeping.
struct timer {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};
timer after_ms(int ms);

// Starts a task on the loop without awaiting it.
void spawn(task t);

// Runs a task on the calling thread and waits for it.
void sync_wait(task t);

// A pool of threads: `co_await pool.schedule()` continues on one of them.
struct thread_pool {
  timer schedule();
};

} // namespace lib
