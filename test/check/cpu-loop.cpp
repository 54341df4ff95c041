// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// The bound is a rule option:
// RUN: printf '{"id":"cpu-loop","category":"cpu","check":"cpu-loop","message":"busy loop","options":{"min_iterations":100,"input_dependent":false,"unbounded":false}}' > %t.json
// RUN: %expect-exit 1 %stallhound check --rules %t.json %s -- %cxxflags | %FileCheck %s --check-prefix=OPTIONS --implicit-check-not=warning:
#include "task.h"

#include <array>
#include <cstddef>
#include <vector>

long checksum = 0;

lib::task handler_huge_constant() {
  co_await lib::after_ms(1);
  for (long i = 0; i < 50000000; ++i)
    checksum += i;
  // CHECK: cpu-loop.cpp:[[@LINE-2]]:3: warning: loop without a suspension point may keep the event-loop thread busy (50000000 iterations) in coroutine 'handler_huge_constant' [stallhound-cpu-loop]
  // OPTIONS: cpu-loop.cpp:[[@LINE-3]]:3: warning: busy loop (50000000 iterations)
}

lib::task handler_input_bound(std::size_t n, std::vector<int> items) {
  co_await lib::after_ms(1);
  for (std::size_t i = 0; i < n; ++i)
    checksum += i;
  // CHECK: cpu-loop.cpp:[[@LINE-2]]:3: warning: loop without a suspension point may keep the event-loop thread busy (bound 'n' depends on a parameter)
  for (int v : items)
    checksum += v;
  // CHECK: cpu-loop.cpp:[[@LINE-2]]:3: warning: loop {{.*}}(iterates over 'items', which depends on a parameter)
}

lib::task handler_spins(const bool *stop) {
  co_await lib::after_ms(1);
  while (true) {
    // CHECK: cpu-loop.cpp:[[@LINE-1]]:3: warning: loop {{.*}}(the loop condition is always true)
    if (*stop)
      break;
    for (int i = 0; i < 3; ++i) // nested in a flagged loop: reported once
      checksum += i;
  }
}

// Negative: small fixed loops, fixed-size arrays, and loops that suspend.
lib::task handler_fine(std::vector<int> items) {
  for (int i = 0; i < 8; ++i)
    checksum += i;
  std::array<int, 4> fixed{1, 2, 3, 4};
  for (int v : fixed)
    checksum += v;
  for (int v : {1, 2, 3})
    checksum += v;
  for (int v : items) {
    checksum += v;
    co_await lib::after_ms(0);
  }
  while (true) {
    co_await lib::after_ms(10);
    if (checksum > 10)
      break;
  }
  do {
    checksum++;
  } while (false);
}

// Negative: the trip count is the function's own state, not its input: a
// container it built, a member, a list of waiters, a compare-and-swap retry.
#include <atomic>
struct Waiter {
  Waiter *next;
};
struct Queue {
  std::vector<int> pending;
  Waiter *waiters = nullptr;
  std::atomic<int> version{0};
  lib::task drain() {
    co_await lib::after_ms(1);
    std::vector<int> results(10);
    for (int r : results)
      checksum += r;
    for (std::size_t i = 0; i < pending.size(); ++i)
      checksum += pending[i];
    for (Waiter *w = waiters; w != nullptr; w = w->next)
      checksum++;
    Waiter *w = waiters;
    while (w != nullptr)
      w = w->next;
    int seen = version.load();
    while (!version.compare_exchange_weak(seen, seen + 1)) {
    }
  }
};

// Negative: compare-and-swap retry loops (also in templates), and walks along
// a list of waiters handed in.
template <typename T> void push(std::atomic<T *> &list, T *node) {
  T *current = list.load();
  do {
    node->next = current;
  } while (!list.compare_exchange_weak(current, node));
}
lib::task handler_wakes(Waiter *head, std::atomic<int> &state) {
  co_await lib::after_ms(1);
  while (head != nullptr)
    head = head->next;
  Waiter *next = head;
  while (true) {
    if (next == nullptr)
      break;
    next = next->next;
  }
  std::atomic<Waiter *> shared{head};
  for (;;) {
    Waiter *first = shared.load();
    if (!first)
      co_return;
    shared.store(first->next);
  }
  while (true) {
    int seen = state.load();
    if (state.compare_exchange_strong(seen, seen + 1))
      break;
  }
  std::atomic<Waiter *> list{nullptr};
  Waiter w{nullptr};
  push(list, &w);
}

// Negative (C11): a loop in a function that no handler calls.
long offline_report(long n) {
  long s = 0;
  for (long i = 0; i < n; ++i)
    s += i;
  return s;
}
