#include "../handle.h"
#include "task.h"

lib::task serve(int fd) {
  co_await lib::after_ms(1);
  handle(fd);
}
