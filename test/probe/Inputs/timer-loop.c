// A raw epoll event loop driven by a 5 ms timerfd. At iteration --at (default
// 5) it runs the handler named by MODE once; it stops after --iterations.
// Build: cc -g -O1 -fno-omit-frame-pointer -rdynamic timer-loop.c

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// Inlined, so that a sample taken while spinning lands in the handler itself.
static inline __attribute__((always_inline)) double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void ignore_sample_signal(int sig) { (void)sig; }

__attribute__((noinline)) void handle_sleep(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  double start = now_ms();
  int rc = nanosleep(&ts, NULL);
  printf("handle_sleep: nanosleep returned %d after %.1f ms\n", rc,
         now_ms() - start);
}

__attribute__((noinline)) void handle_clock_sleep(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

__attribute__((noinline)) void handle_read_file(const char *path) {
  char buffer[65536];
  long total = 0;
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return;
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0)
    total += n;
  close(fd);
  printf("handle_read_file: %ld bytes\n", total);
}

__attribute__((noinline)) void handle_spin(int ms) {
  double end = now_ms() + ms;
  volatile unsigned long sink = 0;
  while (now_ms() < end)
    for (int i = 0; i < 1000; ++i)
      sink += i;
}

// A hang a liveness probe would kill: five seconds asleep, or spinning.
__attribute__((noinline)) void handle_long_sleep(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

__attribute__((noinline)) void handle_long_spin(int ms) {
  double end = now_ms() + ms;
  volatile unsigned long sink = 0;
  while (now_ms() < end)
    for (int i = 0; i < 1000; ++i)
      sink += i;
}

__attribute__((noinline)) void handle_nested_poll(int ms) {
  int fds[2];
  if (pipe(fds) != 0)
    return;
  struct pollfd p = {fds[0], POLLIN, 0};
  volatile nfds_t count =
      1;               // not a constant: a fortified build calls __poll_chk
  poll(&p, count, ms); // a socket timeout: nothing ever arrives
  close(fds[0]);
  close(fds[1]);
}

__attribute__((noinline)) void handle_fast(int timer) {
  unsigned long long expirations;
  // Non-blocking fd: not a finding.
  while (read(timer, &expirations, sizeof(expirations)) > 0) {
  }
}

__attribute__((noinline)) void handle_blocking_pipe(void) {
  int fds[2];
  char c = 'x';
  if (pipe(fds) != 0)
    return;
  write(fds[1], &c, 1);
  read(fds[0], &c, 1); // fast, but the fd is in blocking mode
  close(fds[0]);
  close(fds[1]);
}

__attribute__((noinline)) void handle_spin_then_sleep(int ms) {
  handle_spin(150);
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  double start = now_ms();
  int rc = nanosleep(&ts, NULL);
  double slept = now_ms() - start;
  printf("spin_then_sleep: rc=%d slept %s\n", rc,
         slept >= ms ? "in full" : "CUT SHORT");
}

__attribute__((noinline)) void check_errno(void) {
  struct timespec ts = {0, 1000000};
  errno = EXDEV;
  nanosleep(&ts, NULL);
  int after_sleep = errno;
  char c;
  errno = 0;
  ssize_t n = read(-1, &c, 1);
  int after_read = errno;
  errno = EXDEV;
  int epfd = epoll_create1(0);
  struct epoll_event ev;
  epoll_wait(epfd, &ev, 1, 0);
  int after_wait = errno;
  close(epfd);
  printf("errno after nanosleep: %s\n",
         after_sleep == EXDEV ? "kept" : "CHANGED");
  printf("errno after bad read: %s (n=%zd)\n",
         after_read == EBADF ? "EBADF" : "WRONG", n);
  printf("errno after epoll_wait: %s\n",
         after_wait == EXDEV ? "kept" : "CHANGED");
}

// Takes every real-time signal above glibc's own after the loop started (the
// probe chose its sampling signal by then), after checking that they all look
// unused.
__attribute__((noinline)) void take_realtime_signals(void) {
  int all_default = 1;
  for (int sig = SIGRTMIN; sig <= SIGRTMAX; ++sig) {
    struct sigaction old;
    sigaction(sig, NULL, &old);
    if (old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO))
      all_default = 0;
  }
  printf("host sees default real-time dispositions: %s\n",
         all_default ? "yes" : "NO");
  for (int sig = SIGRTMIN; sig <= SIGRTMAX; ++sig)
    signal(sig, ignore_sample_signal);
}

__attribute__((noinline)) void handle_dns(void) {
  struct addrinfo *result = NULL;
  if (getaddrinfo("localhost", "80", NULL, &result) == 0)
    freeaddrinfo(result);
}

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

static void *hold_lock(void *arg) {
  pthread_mutex_lock(&shared_lock);
  *(volatile int *)arg = 1;
  struct timespec ts = {0, 200 * 1000000L};
  nanosleep(&ts, NULL);
  pthread_mutex_unlock(&shared_lock);
  return NULL;
}

// An uncontended lock is no finding; waiting 200 ms for a worker's lock is.
__attribute__((noinline)) void handle_locks(void) {
  pthread_mutex_lock(&shared_lock);
  pthread_mutex_unlock(&shared_lock);
  volatile int held = 0;
  pthread_t worker;
  pthread_create(&worker, NULL, hold_lock, (void *)&held);
  while (!held)
    sched_yield();
  pthread_mutex_lock(&shared_lock);
  pthread_mutex_unlock(&shared_lock);
  pthread_join(worker, NULL);
}

__attribute__((noinline)) void handle_system(void) {
  int status = system("exit 0");
  printf("system returned %d\n", status);
}

// Ten iterations in a row sleep 25 ms: with a 20 ms threshold, a storm of
// identical stalls.
__attribute__((noinline)) void handle_storm(void) {
  struct timespec ts = {0, 25 * 1000000L};
  nanosleep(&ts, NULL);
}

static void *reply_later(void *arg) {
  int fd = *(int *)arg;
  struct timespec ts = {0, 200 * 1000000L};
  nanosleep(&ts, NULL);
  send(fd, "pong", 4, 0);
  return NULL;
}

// A listening socket on an ephemeral loopback port, as a server opens.
static int open_listener(void) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET,
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  bind(listener, (struct sockaddr *)&address, sizeof(address));
  listen(listener, 1);
  return listener;
}

static int server_listener = -1;

// S3: a synchronous client in a handler of a server. connect() on a blocking
// socket to the server's own listener (fast: latent), then recv() waits
// 200 ms for the peer (blocking). A recv with MSG_DONTWAIT is no finding.
__attribute__((noinline)) void handle_socket(void) {
  int listener = server_listener;
  struct sockaddr_in address;
  socklen_t size = sizeof(address);
  getsockname(listener, (struct sockaddr *)&address, &size);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  connect(client, (struct sockaddr *)&address, size);
  int server = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
  char buffer[8];
  recv(client, buffer, sizeof(buffer), MSG_DONTWAIT);
  pthread_t peer;
  pthread_create(&peer, NULL, reply_later, &server);
  ssize_t n = recv(client, buffer, sizeof(buffer), 0);
  pthread_join(peer, NULL);
  printf("handle_socket: received %zd bytes\n", n);
  close(server);
  close(client);
}

static int loop_epfd = -1;

// Daemons close every fd they do not know, then open their own files, which
// may get the number of the probe's event stream.
__attribute__((noinline)) void handle_close_fds(int timer) {
  for (int fd = 3; fd < 1024; ++fd)
    if (fd != timer && fd != loop_epfd)
      close(fd);
  int fd = open("host-file.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  write(fd, "host data\n", 10);
  handle_sleep(300);
  close(fd);
}

// The same with close_range(2), the one call glibc's closefrom() makes.
__attribute__((noinline)) void handle_close_range_fds(int timer) {
  int low = timer < loop_epfd ? timer : loop_epfd;
  int high = timer < loop_epfd ? loop_epfd : timer;
  if (low > 3)
    close_range(3, low - 1, 0);
  if (high > low + 1)
    close_range(low + 1, high - 1, 0);
  close_range(high + 1, ~0u, 0);
  int fd = open("host-file.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  write(fd, "host data\n", 10);
  handle_sleep(300);
  close(fd);
}

// Inlined: stacks read handle_X < run_loop < main.
static inline __attribute__((always_inline)) void
run_handler(const char *mode, int timer, const char *arg) {
  if (!strcmp(mode, "sleep"))
    handle_sleep(300);
  else if (!strcmp(mode, "clock-sleep"))
    handle_clock_sleep(300);
  else if (!strcmp(mode, "read"))
    handle_read_file(arg ? arg : "/proc/self/exe");
  else if (!strcmp(mode, "spin"))
    handle_spin(300);
  else if (!strcmp(mode, "long-sleep"))
    handle_long_sleep(5000);
  else if (!strcmp(mode, "long-spin"))
    handle_long_spin(5000);
  else if (!strcmp(mode, "nested-poll"))
    handle_nested_poll(300);
  else if (!strcmp(mode, "blocking-pipe"))
    handle_blocking_pipe();
  else if (!strcmp(mode, "spin-then-sleep"))
    handle_spin_then_sleep(300);
  else if (!strcmp(mode, "late-host-signal")) {
    take_realtime_signals();
    handle_spin(300);
  } else if (!strcmp(mode, "socket"))
    handle_socket();
  else if (!strcmp(mode, "storm"))
    handle_storm();
  else if (!strcmp(mode, "close-fds"))
    handle_close_fds(timer);
  else if (!strcmp(mode, "close-range-fds"))
    handle_close_range_fds(timer);
  else if (!strcmp(mode, "dns"))
    handle_dns();
  else if (!strcmp(mode, "locks"))
    handle_locks();
  else if (!strcmp(mode, "system"))
    handle_system();
  else if (!strcmp(mode, "errno"))
    check_errno();
  else if (!strcmp(mode, "exit-now")) {
    handle_sleep(300);
    fflush(stdout);
    _exit(3);
  } else
    handle_fast(timer);
}

// TIMER_LOOP_KILL_MS=N: a forked watcher kills the program with SIGKILL N ms
// after its handler started, as a liveness probe kills a hung server.
static void kill_self_later(void) {
  const char *after = getenv("TIMER_LOOP_KILL_MS");
  if (!after)
    return;
  int ms = atoi(after);
  pid_t self = getpid();
  if (fork() == 0) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    kill(self, SIGKILL);
    _exit(0);
  }
}

// A server's life on its loop: work before it listens and in the iteration
// that calls listen() is startup; closing its last listening socket starts
// shutdown.
static void serve_in_phases(int iteration) {
  static int listener = -1;
  if (iteration == 2 || iteration == 6 || iteration == 10)
    handle_sleep(300);
  if (iteration == 4)
    listener = open_listener();
  if (iteration == 8)
    close(listener);
}

int run_loop(const char *mode, int iterations, int at, const char *arg) {
  if (!strcmp(mode, "socket"))
    server_listener = open_listener();
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  loop_epfd = epfd;
  int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  struct itimerspec spec = {{0, 5000000}, {0, 5000000}};
  timerfd_settime(timer, 0, &spec, NULL);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = timer};
  epoll_ctl(epfd, EPOLL_CTL_ADD, timer, &ev);
  // TIMER_LOOP_WAIT=poll, select or epoll_pwait2: the same loop on another
  // wait.
  const char *wait = getenv("TIMER_LOOP_WAIT");
  for (int i = 0; iterations < 0 || i < iterations; ++i) {
    int n;
    if (wait && !strcmp(wait, "poll")) {
      struct pollfd p = {timer, POLLIN, 0};
      volatile nfds_t count = 1;
      n = poll(&p, count, 1000);
    } else if (wait && !strcmp(wait, "epoll_pwait2")) {
      struct epoll_event ready[4];
      struct timespec timeout = {1, 0};
      n = epoll_pwait2(epfd, ready, 4, &timeout, NULL);
    } else if (wait && !strcmp(wait, "select")) {
      fd_set readable;
      FD_ZERO(&readable);
      FD_SET(timer, &readable);
      struct timeval timeout = {1, 0};
      n = select(timer + 1, &readable, NULL, NULL, &timeout);
    } else {
      struct epoll_event ready[4];
      n = epoll_wait(epfd, ready, 4, 1000);
    }
    if (n <= 0)
      continue;
    handle_fast(timer);
    if (!strcmp(mode, "serve"))
      serve_in_phases(i);
    else if (i == at) {
      kill_self_later();
      run_handler(mode, timer, arg);
    } else if (!strcmp(mode, "storm") && i > at && i < at + 10)
      run_handler(mode, timer, arg);
  }
  close(timer);
  close(epfd);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr,
            "usage: timer-loop MODE [ITERATIONS] [AT] [ARG]\n"
            "MODE: fast sleep clock-sleep read spin long-sleep long-spin\n"
            "      nested-poll blocking-pipe\n"
            "      spin-then-sleep errno exit-now fork host-signal\n"
            "      late-host-signal dns locks system close-fds close-range-fds storm\n"
            "      socket serve\n");
    return 2;
  }
  const char *mode = argv[1];
  int iterations = argc > 2 ? atoi(argv[2]) : 30;
  int at = argc > 3 ? atoi(argv[3]) : 5;
  const char *arg = argc > 4 ? argv[4] : NULL;
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (!strcmp(mode, "host-signal")) {
    // The host takes the probe's sampling signal for itself.
    signal(SIGRTMAX - 3, ignore_sample_signal);
    mode = "spin";
  }
  if (!strcmp(mode, "fork")) {
    pid_t child = fork();
    if (child == 0)
      return run_loop("sleep", iterations, at, arg);
    run_loop("fast", iterations, at, arg);
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
  }
  return run_loop(mode, iterations, at, arg);
}
