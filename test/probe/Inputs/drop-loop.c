// A server that hands its event loop to the unprivileged user nobody, the
// way nginx's workers do: a raw epoll loop driven by a 5 ms timerfd whose
// sixth iteration stalls 150 ms in handle_stall.
//   fork-drop  a forked worker calls setgid and setuid, then runs the loop
//   drop       the process itself drops, then runs the loop
//   drop-fork  the process drops, then forks the worker that runs the loop
//   drop-exec  the process drops, then executes itself as "loop"
//   fork       a forked worker runs the loop as root
//   loop       the loop, as whoever runs it
// An optional second argument is the number of iterations (30).
// Build: cc -g -O1 -fno-omit-frame-pointer -rdynamic drop-loop.c

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const unsigned Nobody = 65534;

__attribute__((noinline)) void handle_stall(void) {
  struct timespec ts = {0, 150 * 1000000L};
  nanosleep(&ts, NULL);
}

static void print_result(const char *what, int rc) {
  printf("%s = %d%s%s\n", what, rc, rc ? " " : "",
         rc ? (errno == EPERM ? "EPERM" : strerror(errno)) : "");
}

// What nginx's worker does: group, supplementary groups, then user. The
// hooks must hand back the calls' own results and errno.
static void drop_to_nobody(void) {
  print_result("setgid(65534)", setgid(Nobody));
  print_result("setgroups(0)", setgroups(0, NULL));
  print_result("setuid(65534)", setuid(Nobody));
  errno = 0;
  print_result("setuid(0) after the drop", setuid(0));
}

// Where the probe keeps its report files open: above the numbers the host
// uses, so the host's next open() gets the number it expects.
static void check_probe_fds(void) {
  DIR *fds = opendir("/proc/self/fd");
  int low = 0, high = 0;
  struct dirent *entry;
  while (fds && (entry = readdir(fds))) {
    char link[64], target[4096];
    snprintf(link, sizeof(link), "/proc/self/fd/%s", entry->d_name);
    ssize_t n = readlink(link, target, sizeof(target) - 1);
    if (n <= 0)
      continue;
    target[n] = '\0';
    if (!strstr(target, "/stallhound-"))
      continue;
    if (atoi(entry->d_name) >= 64)
      ++high;
    else
      ++low;
  }
  if (fds)
    closedir(fds);
  printf("probe files open: %d above the host's fds, %d among them\n", high,
         low);
}

static int iterations = 30;

static int run_loop(void) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  struct itimerspec every = {{0, 5000000}, {0, 5000000}};
  timerfd_settime(timer, 0, &every, NULL);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = timer};
  epoll_ctl(ep, EPOLL_CTL_ADD, timer, &ev);
  for (int i = 0; i < iterations; ++i) {
    struct epoll_event out;
    if (epoll_wait(ep, &out, 1, 1000) <= 0)
      continue;
    unsigned long long ticks;
    read(timer, &ticks, sizeof(ticks));
    if (i == 5)
      handle_stall();
    if (i == 10)
      check_probe_fds();
  }
  printf("loop ran as uid %u\n", (unsigned)geteuid());
  return 0;
}

static int fork_worker(int drop) {
  fflush(stdout);
  pid_t worker = fork();
  if (worker == 0) {
    if (drop)
      drop_to_nobody();
    exit(run_loop());
  }
  int status = 0;
  waitpid(worker, &status, 0);
  printf("worker exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *mode = argc > 1 ? argv[1] : "";
  if (argc > 2)
    iterations = atoi(argv[2]);
  if (!strcmp(mode, "fork-drop"))
    return fork_worker(1);
  if (!strcmp(mode, "fork"))
    return fork_worker(0);
  if (!strcmp(mode, "drop")) {
    drop_to_nobody();
    return run_loop();
  }
  if (!strcmp(mode, "drop-fork")) {
    drop_to_nobody();
    return fork_worker(0);
  }
  if (!strcmp(mode, "drop-exec")) {
    drop_to_nobody();
    execl("/proc/self/exe", argv[0], "loop", (char *)NULL);
    perror("execl");
    return 127;
  }
  if (!strcmp(mode, "loop"))
    return run_loop();
  fprintf(stderr, "usage: drop-loop "
                  "fork-drop|drop|drop-fork|drop-exec|fork|loop [ITERATIONS]\n");
  return 2;
}
