// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// The bound and the shapes are rule options:
// RUN: printf '{"id":"cpu-loop","category":"cpu","check":"cpu-loop","message":"busy loop","options":{"min_iterations":100,"nested_input":false,"input_dependent":false,"unbounded":false}}' > %t.json
// RUN: %expect-exit 1 %stallhound check --rules %t.json %s -- %cxxflags | %FileCheck %s --check-prefix=OPTIONS --implicit-check-not=warning:
#include "task.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

long checksum = 0;

lib::task handler_huge_constant() {
  co_await lib::after_ms(1);
  for (long i = 0; i < 50000000; ++i)
    checksum += i;
  // CHECK: cpu-loop.cpp:[[@LINE-2]]:3: warning: loop without a suspension point may keep the event-loop thread busy (50000000 iterations) in coroutine 'handler_huge_constant' [stallhound-cpu-loop]
  // OPTIONS: cpu-loop.cpp:[[@LINE-3]]:3: warning: busy loop (50000000 iterations)
}

// A count the request chooses: a small request can ask for any amount of work.
lib::task handler_input_count(std::size_t n, int rounds) {
  co_await lib::after_ms(1);
  for (std::size_t i = 0; i < n; ++i)
    checksum += i;
  // CHECK: cpu-loop.cpp:[[@LINE-2]]:3: warning: loop without a suspension point may keep the event-loop thread busy (bound 'n' depends on a parameter)
  int left = rounds;
  while (left > 0)
    // CHECK: cpu-loop.cpp:[[@LINE-1]]:3: warning: loop {{.*}}(bound 'left' depends on a parameter)
    checksum += left--;
}
long parse_number(const std::string &text);
lib::task handler_parsed_count(std::string request) {
  co_await lib::after_ms(1);
  const long count = parse_number(request); // a number the request carries
  for (long i = 0; i < count; ++i)
    checksum += i;
  // CHECK: cpu-loop.cpp:[[@LINE-2]]:3: warning: loop {{.*}}(bound 'count' depends on a parameter)
}

// Work that grows with the square of a request: loops nested over input.
lib::task handler_nested_input(std::vector<std::string> rows, std::size_t n) {
  co_await lib::after_ms(1);
  for (const std::string &a : rows)
    // CHECK: cpu-loop.cpp:[[@LINE-1]]:3: warning: loop {{.*}}(nested loops over 'rows' and 'rows', which depend on parameters)
    for (const std::string &b : rows)
      checksum += a.size() * b.size();
  for (std::size_t i = 0; i < n; ++i) {
    // CHECK: cpu-loop.cpp:[[@LINE-1]]:3: warning: loop {{.*}}(nested loops over 'n' and 'rows[i].size()', which depend on parameters)
    for (std::size_t k = 0; k < rows[i].size(); ++k)
      checksum += rows[i][k];
  }
}

// A wait that never suspends: the exit depends on state that only another
// thread changes.
lib::task handler_spins(const bool *stop, std::atomic<bool> &ready,
                        std::vector<lib::task> &others) {
  co_await lib::after_ms(1);
  while (true) {
    // CHECK: cpu-loop.cpp:[[@LINE-1]]:3: warning: loop {{.*}}(it waits for '*stop' without suspending, and nothing in the loop changes it)
    if (*stop)
      break;
    for (int i = 0; i < 3; ++i) // nested in a flagged loop: reported once
      checksum += i;
  }
  while (!ready.load())
    // CHECK: cpu-loop.cpp:[[@LINE-1]]:3: warning: loop {{.*}}(it runs while '!ready.load()' holds, and nothing in the loop changes that)
    std::this_thread::yield();
  while (true) {
    // CHECK: cpu-loop.cpp:[[@LINE-1]]:3: warning: loop {{.*}}(it waits for 'remaining == 0' without suspending
    std::size_t remaining = 0;
    for (const lib::task &t : others)
      if (!t.handle)
        ++remaining;
    if (remaining == 0)
      break;
  }
  for (;;)
    // CHECK: cpu-loop.cpp:[[@LINE-1]]:3: warning: loop {{.*}}(the loop has no exit)
    checksum++;
}

// Negative: single passes over data a request brought (its items, its
// bytes), small fixed loops, fixed-size arrays, and loops that suspend.
lib::task handler_fine(std::vector<int> items, std::string request,
                       const char *begin, const char *end, char *buffer,
                       std::size_t received) {
  for (std::size_t i = 0; i < received; ++i) // the bytes a read returned
    buffer[i] = buffer[i] + 1;
  for (int v : items)
    checksum += v;
  for (std::size_t i = 0; i < request.size(); ++i)
    checksum += request[i];
  std::size_t length = request.size();
  for (std::size_t i = 0; i < length; ++i)
    checksum += request[i];
  while (begin != end)
    checksum += *begin++;
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
  // A parser: an endless loop that consumes its input and returns at the end.
  std::size_t pos = 0;
  for (;;) {
    if (pos == request.size())
      break;
    char c = request[pos++];
    if (c == '\n')
      co_return;
  }
  // A loop over a handful of awaitables, and an exit right away.
  std::vector<lib::task> pending(3);
  for (lib::task &t : pending)
    co_await t;
  while (true) {
    checksum++;
    break;
  }
}

// Negative: the trip count is the function's own state, not its input: a
// container it built, a member, a list of waiters, a compare-and-swap retry.
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
    while (pending.size() > 100)
      pending.pop_back();
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

// Negative: a worker loop that pops work until told to stop calls something
// that changes its state each time.
int take_job();
lib::task handler_drains_jobs() {
  co_await lib::after_ms(1);
  while (true) {
    int job = take_job();
    if (job < 0)
      break;
    checksum += job;
  }
}

// Negative (C11): a loop in a function that no handler calls.
long offline_report(long n) {
  long s = 0;
  for (long i = 0; i < n; ++i)
    for (long k = 0; k < n; ++k)
      s += i * k;
  return s;
}

// Negative: a loop that only makes tasks for a collectAll to await does no
// work; the work runs when they are awaited.
lib::task read_one(const char *path, int index);
lib::task collect_all(std::vector<lib::task> tasks);
lib::task handler_reads_many(int count, std::string path) {
  std::vector<lib::task> reads;
  for (int i = 0; i < count; ++i)
    reads.push_back(read_one(path.c_str(), i));
  co_await collect_all(std::move(reads));
}
