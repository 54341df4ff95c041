#include "../../../task.h"

#include <unistd.h>

lib::task legacy_handler() {
  co_await lib::after_ms(1);
  sleep(1);
  usleep(1);
  fsync(3);
}
