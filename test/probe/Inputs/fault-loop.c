// An epoll loop on a 5 ms timerfd for the fault tests (faults.test).
// Build: cc -g -O1 -fno-omit-frame-pointer -rdynamic fault-loop.c -lpthread
//
// usage: fault-loop MODE
//   periodic     forever: every 40th iteration sleeps 120 ms and prints
//                "stall N done at UNIX_MS" (a stall every ~320 ms)
//   until-sigint forever, one 300 ms sleep at iteration 5; a SIGINT handler
//                ends the loop and main returns (exit handlers run)
//   threads      at iteration 5 a 300 ms CPU stall during which 8 loop
//                threads start, run 5 iterations and end, and 50 plain
//                threads start and end
//   sampled-threads  the same, but the 8 loop threads spin 150 ms in each of
//                their iterations 5 to 9, all at once, and end in the middle
//                of the last (reproduces a deadlock of concurrent samples:
//                not in the test suite, see docs/benchmarks.md)

#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted;

static inline __attribute__((always_inline)) double now_ms(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

// Inlined, so that a sample taken while spinning lands in the handler itself.
static inline __attribute__((always_inline)) void spin_ms(double ms) {
  double end = now_ms(CLOCK_MONOTONIC) + ms;
  volatile unsigned long sink = 0;
  while (now_ms(CLOCK_MONOTONIC) < end)
    for (int i = 0; i < 1000; ++i)
      sink += i;
}

static int timer_loop_fd(int period_ms, int *timer) {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  *timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  struct itimerspec spec = {{0, period_ms * 1000000L},
                            {0, period_ms * 1000000L}};
  timerfd_settime(*timer, 0, &spec, NULL);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = *timer};
  epoll_ctl(epfd, EPOLL_CTL_ADD, *timer, &ev);
  return epfd;
}

static void drain(int timer) {
  unsigned long long expirations;
  while (read(timer, &expirations, sizeof(expirations)) > 0) {
  }
}

static int workers_stall;

// A loop thread that ends after 5 iterations; with workers_stall, after 5
// stalled ones, in the middle of the last, while the watchdog samples it.
static void *loop_worker(void *arg) {
  (void)arg;
  int timer;
  int epfd = timer_loop_fd(2, &timer);
  for (int i = 0;; ++i) {
    struct epoll_event ready[4];
    if (epoll_wait(epfd, ready, 4, 1000) <= 0)
      continue;
    drain(timer);
    if (workers_stall && i >= 4)
      spin_ms(150);
    if (i == (workers_stall ? 8 : 4)) {
      close(timer);
      close(epfd);
      pthread_exit(NULL);
    }
  }
}

static void *plain_worker(void *arg) {
  (void)arg;
  sleep_ms(1);
  return NULL;
}

__attribute__((noinline)) void handle_threads(void) {
  pthread_t loops[8];
  for (int i = 0; i < 8; ++i)
    pthread_create(&loops[i], NULL, loop_worker, NULL);
  double end = now_ms(CLOCK_MONOTONIC) + 300;
  for (int i = 0; i < 50; ++i) {
    pthread_t plain;
    pthread_create(&plain, NULL, plain_worker, NULL);
    pthread_detach(plain);
  }
  spin_ms(end - now_ms(CLOCK_MONOTONIC));
  for (int i = 0; i < 8; ++i)
    pthread_join(loops[i], NULL);
  printf("handle_threads: 8 loop threads and 50 threads ended\n");
}

__attribute__((noinline)) void handle_periodic(int n) {
  sleep_ms(120);
  printf("stall %d done at %.0f\n", n, now_ms(CLOCK_REALTIME));
}

__attribute__((noinline)) void handle_nap(void) { sleep_ms(300); }

static void on_sigint(int sig) {
  (void)sig;
  interrupted = 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(
        stderr,
        "usage: fault-loop periodic|until-sigint|threads|sampled-threads\n");
    return 2;
  }
  const char *mode = argv[1];
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (!strcmp(mode, "until-sigint")) {
    struct sigaction action = {0};
    action.sa_handler = on_sigint;
    sigaction(SIGINT, &action, NULL);
  }
  int timer;
  int epfd = timer_loop_fd(5, &timer);
  int stalls = 0;
  workers_stall = !strcmp(mode, "sampled-threads");
  int threads = workers_stall || !strcmp(mode, "threads");
  int iterations = threads ? 30 : -1;
  for (int i = 0; !interrupted && (iterations < 0 || i < iterations); ++i) {
    struct epoll_event ready[4];
    if (epoll_wait(epfd, ready, 4, 1000) <= 0)
      continue;
    drain(timer);
    if (!strcmp(mode, "periodic") && i % 40 == 39)
      handle_periodic(++stalls);
    else if (!strcmp(mode, "until-sigint") && i == 5)
      handle_nap();
    else if (threads && i == 5)
      handle_threads();
  }
  if (interrupted)
    printf("interrupted: leaving the loop\n");
  close(timer);
  close(epfd);
  return 0;
}
