// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=error: --implicit-check-not=crashed
// Code that has no callee, no type or no declaration where the analyzer looks
// for one: builtins with dependent arguments (asio's ASIO_ASSUME), calls
// through member pointers and function pointers, dependent co_await, fold
// expressions, generic lambdas. None of it may crash the analysis, and the
// blocking call after it is still found.
#include "task.h"

#include <unistd.h>
#include <utility>

#define ASSUME(expr) __builtin_assume(expr)

template <class T> void assume_not_null(const T *p) { __builtin_assume(p != 0); }
template <class T> void assume_macro(const T *p) { ASSUME(p != nullptr); }
template <class T> bool expect(T v) { return __builtin_expect(!!v, 1); }
template <class T> void unreachable(T v) {
  if (!v)
    __builtin_unreachable();
}

struct Session {
  void on_read(int);
};

template <class Object, class Method>
void call_member(Object &o, Method m, int n) {
  (o.*m)(n);
}
template <class F, class... Args> auto call_all(F f, Args... args) {
  return (f(args) + ...);
}
template <class Awaitable> lib::task await_any(Awaitable a) {
  co_await std::move(a);
  __builtin_assume(sizeof(Awaitable) > 0);
}
template <class T> lib::task await_then_sleep(T t) {
  co_await t;
  usleep(10);
  // CHECK: unusual-code.cpp:[[@LINE-1]]:3: warning: 'usleep' puts the event-loop thread to sleep in coroutine 'await_then_sleep' [stallhound-sleep]
}

lib::task handler(Session &s, void (*callback)(int)) {
  int x = 1;
  assume_not_null(&x);
  assume_macro(&x);
  expect(x);
  unreachable(x);
  call_member(s, &Session::on_read, 1);
  callback(2);
  call_all([](int v) { return v; }, 1, 2, 3);
  auto generic = [](auto v) { __builtin_assume(v > 0); };
  generic(1);
  co_await lib::after_ms(1);
}
