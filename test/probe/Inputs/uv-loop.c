// A libuv timer loop (5 ms); the 5th tick runs the handler named by MODE:
// "sleep" sleeps 300 ms with usleep, "read" reads a file with fopen/fread,
// "fast" does nothing. Build: cc -g -O1 -fno-omit-frame-pointer -rdynamic ...
// -luv

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

static const char *mode = "fast";
static const char *path = "/proc/self/exe";
static int ticks = 0;

__attribute__((noinline)) void sleepy_tick(void) { usleep(300 * 1000); }

__attribute__((noinline)) void file_reading_tick(void) {
  char buffer[65536];
  size_t total = 0, n;
  FILE *file = fopen(path, "rb");
  if (!file)
    return;
  while ((n = fread(buffer, 1, sizeof(buffer), file)) > 0)
    total += n;
  fclose(file);
  printf("read %zu bytes\n", total);
}

static void on_tick(uv_timer_t *timer) {
  if (++ticks == 5) {
    if (!strcmp(mode, "sleep"))
      sleepy_tick();
    else if (!strcmp(mode, "read"))
      file_reading_tick();
  }
  if (ticks == 20)
    uv_timer_stop(timer);
}

int main(int argc, char **argv) {
  if (argc > 1)
    mode = argv[1];
  if (argc > 2)
    path = argv[2];
  uv_loop_t *loop = uv_default_loop();
  uv_timer_t timer;
  uv_timer_init(loop, &timer);
  uv_timer_start(&timer, on_tick, 5, 5);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_loop_close(loop);
  return 0;
}
