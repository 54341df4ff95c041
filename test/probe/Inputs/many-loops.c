// Many short poll loops, for the loop-slot tests (loop-slots.test).
// Build: cc -g -O1 -fno-omit-frame-pointer -rdynamic many-loops.c -lpthread
//
// usage: many-loops THREADS WAVES
//   Starts WAVES waves of THREADS threads, one wave after the other. Each
//   thread names itself loop-N, runs a poll loop of 5 iterations (1 ms
//   timeouts on a pipe nothing is written to), then waits until every thread
//   of its wave ran its loop, and ends: all threads of a wave are alive at
//   once. The main thread never waits in poll itself.

#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_barrier_t wave_done;

static void *poll_loop(void *arg) {
  char name[16];
  snprintf(name, sizeof(name), "loop-%ld", (long)arg);
  pthread_setname_np(pthread_self(), name);
  int fds[2];
  if (pipe(fds) != 0)
    return NULL;
  for (int i = 0; i < 5; ++i) {
    struct pollfd p = {fds[0], POLLIN, 0};
    poll(&p, 1, 1);
  }
  close(fds[0]);
  close(fds[1]);
  pthread_barrier_wait(&wave_done);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: many-loops THREADS WAVES\n");
    return 2;
  }
  int threads = atoi(argv[1]);
  int waves = atoi(argv[2]);
  pthread_t *ids = calloc(threads, sizeof(pthread_t));
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, 256 * 1024);
  long started = 0;
  for (int wave = 0; wave < waves; ++wave) {
    pthread_barrier_init(&wave_done, NULL, threads);
    for (int i = 0; i < threads; ++i)
      pthread_create(&ids[i], &attributes, poll_loop, (void *)started++);
    for (int i = 0; i < threads; ++i)
      pthread_join(ids[i], NULL);
    pthread_barrier_destroy(&wave_done);
  }
  printf("many-loops: %ld threads ended\n", started);
  return 0;
}
