#include "task.h"

lib::task session(int fd) {
  co_await lib::after_ms(1);
  (void)fd;
}
