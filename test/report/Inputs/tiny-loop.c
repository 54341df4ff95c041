// A tiny epoll loop for the report tests: a 2 ms timer runs on_tick, which
// at the 5th tick calls the handler named on the command line once, then the
// loop stops after 10 ticks.
// usage: tiny-loop nap|spin MS
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

// Inlined, so that a sample taken while spinning lands in the handler.
static inline __attribute__((always_inline)) double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

__attribute__((noinline)) void handle_nap(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

__attribute__((noinline)) void handle_spin(int ms) {
  volatile uint64_t spins = 0;
  for (double end = now_ms() + ms; now_ms() < end;)
    ++spins;
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  void (*handler)(int) = strcmp(argv[1], "spin") == 0 ? handle_spin : handle_nap;
  int ms = atoi(argv[2]);
  int ep = epoll_create1(0);
  int timer = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec every = {{0, 2000000}, {0, 2000000}};
  timerfd_settime(timer, 0, &every, NULL);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = timer};
  epoll_ctl(ep, EPOLL_CTL_ADD, timer, &ev);
  for (int tick = 1; tick <= 10;) {
    if (epoll_wait(ep, &ev, 1, 1000) != 1)
      continue;
    uint64_t expirations;
    if (read(timer, &expirations, sizeof expirations) != sizeof expirations)
      return 1;
    if (tick++ == 5)
      handler(ms);
  }
  printf("%s done\n", argv[1]);
  return 0;
}
