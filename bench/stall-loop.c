// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The C loop of bench/accuracy.py: an epoll loop on a 5 ms timerfd that,
// every 20th iteration, sleeps for the next duration of its arguments (ms)
// inside a handler, then stops. Prints "self MS" per stall: the handler's
// own CLOCK_MONOTONIC view of it.
// usage: stall-loop MS...

#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

__attribute__((noinline)) void handle_stall(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  double start = now_ms();
  nanosleep(&ts, NULL);
  printf("self %.3f\n", now_ms() - start);
}

int main(int argc, char **argv) {
  int epfd = epoll_create1(0);
  int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct itimerspec spec = {{0, 5000000}, {0, 5000000}};
  timerfd_settime(timer, 0, &spec, NULL);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = timer};
  epoll_ctl(epfd, EPOLL_CTL_ADD, timer, &ev);
  int next = 1;
  for (long i = 1; next < argc; ++i) {
    struct epoll_event ready[4];
    if (epoll_wait(epfd, ready, 4, 1000) <= 0)
      continue;
    unsigned long long expirations;
    while (read(timer, &expirations, sizeof(expirations)) > 0) {
    }
    if (i % 20 == 0)
      handle_stall(atol(argv[next++]));
  }
  struct epoll_event ready[4];
  epoll_wait(epfd, ready, 4, 1000); // ends the last stalled iteration
  return 0;
}
