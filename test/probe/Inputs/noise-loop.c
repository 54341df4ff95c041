// An epoll loop whose timer ticks (2 ms, 20 ticks) each do one thing a real
// server does all the time, to tell what blocks from what only could:
//   lock-short  lock a mutex a worker holds ~0.2 ms at a time
//   lock-long   lock a mutex a worker holds ~20 ms at a time
//   proc        read /proc/self/stat (open, read, close), as redis does
//   file        read a regular file (open, read, close)
//   cond        wait 5 ms for a condition nobody signals
// usage: noise-loop MODE [FILE]
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER;
static atomic_int stop;
static long hold_us;

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

// On each tick's request the worker takes the lock and holds it hold_us: the
// tick then waits for it, always, whatever the machine's load.
static atomic_int wanted, held;

static void *hold_lock(void *unused) {
  (void)unused;
  while (!atomic_load(&stop)) {
    if (!atomic_load(&wanted)) {
      sched_yield();
      continue;
    }
    pthread_mutex_lock(&shared);
    atomic_store(&held, 1);
    for (double end = now_us() + hold_us; now_us() < end;)
      ;
    atomic_store(&wanted, 0);
    pthread_mutex_unlock(&shared);
  }
  return NULL;
}

__attribute__((noinline)) void handle_tick(const char *mode, const char *file) {
  if (strncmp(mode, "lock", 4) == 0) {
    atomic_store(&held, 0);
    atomic_store(&wanted, 1);
    while (!atomic_load(&held))
      ;
    pthread_mutex_lock(&shared);
    pthread_mutex_unlock(&shared);
    return;
  }
  if (strcmp(mode, "cond") == 0) {
    static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 5000000;
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&shared);
    pthread_cond_timedwait(&never, &shared, &deadline);
    pthread_mutex_unlock(&shared);
    return;
  }
  char buffer[4096];
  int fd = open(strcmp(mode, "proc") == 0 ? "/proc/self/stat" : file, O_RDONLY);
  if (fd < 0)
    return;
  if (read(fd, buffer, sizeof buffer) < 0)
    perror("read");
  close(fd);
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *mode = argv[1];
  pthread_t worker;
  if (strncmp(mode, "lock", 4) == 0) {
    hold_us = strcmp(mode, "lock-long") == 0 ? 20000 : 200;
    pthread_create(&worker, NULL, hold_lock, NULL);
    usleep(1000);
  }
  int ep = epoll_create1(0);
  int timer = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec every = {{0, 2000000}, {0, 2000000}};
  timerfd_settime(timer, 0, &every, NULL);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = timer};
  epoll_ctl(ep, EPOLL_CTL_ADD, timer, &ev);
  for (int tick = 0; tick < 20;) {
    if (epoll_wait(ep, &ev, 1, 1000) != 1)
      continue;
    uint64_t expirations;
    if (read(timer, &expirations, sizeof expirations) != sizeof expirations)
      return 1;
    ++tick;
    handle_tick(mode, argc > 2 ? argv[2] : "");
  }
  if (strncmp(mode, "lock", 4) == 0) {
    atomic_store(&stop, 1);
    pthread_join(worker, NULL);
  }
  return 0;
}
