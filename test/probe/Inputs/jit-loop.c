// An epoll loop whose 5th timer tick runs "JIT code", as node does: machine
// code copied into an anonymous executable mapping and named in
// /tmp/perf-PID.map. The code spins about a second (x86-64).
// usage: jit-loop stale-only|newest
//   stale-only: one entry, staleHandler, covers the code
//   newest:     staleHandler, then a newer entry, ^freshHandler (a V8 tier
//               mark), that starts before it and covers the same code; a
//               perf map's last word on an address is the one that holds
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

static const unsigned char Spin[] = {
    0x48, 0xb9, 0, 0, 0, 0, 0, 0, 0, 0, // mov rcx, imm64
    0x48, 0xff, 0xc9,                   // loop: dec rcx
    0x75, 0xfb,                         // jnz loop
    0xc3,                               // ret
};

static int run_loop(int newest) {
  unsigned char *region = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED)
    return 1;
  unsigned char *code = region + 0x200;
  memcpy(code, Spin, sizeof Spin);
  uint64_t iterations = 2000000000ull;
  memcpy(code + 2, &iterations, sizeof iterations);

  char path[64];
  snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
  FILE *map = fopen(path, "w");
  if (!map)
    return 1;
  uintptr_t base = (uintptr_t)region;
  fprintf(map, "%lx 100 JS:~staleHandler /app/jit.js:3:1\n",
          (unsigned long)(base + 0x1c0));
  if (newest)
    fprintf(map, "%lx 200 JS:^freshHandler /app/jit.js:9:5\n",
            (unsigned long)(base + 0x100));
  fclose(map);

  void (*jitted)(void) = (void (*)(void))code;
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
      jitted();
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  int newest = strcmp(argv[1], "newest") == 0;
  // The loop runs in a child, whose perf map the parent removes once the
  // child (and its report) is done.
  pid_t child = fork();
  if (child == 0)
    return run_loop(newest);
  int status = 0;
  waitpid(child, &status, 0);
  char path[64];
  snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)child);
  unlink(path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
