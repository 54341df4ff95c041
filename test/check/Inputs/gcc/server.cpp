#include "task.h"

#include <unistd.h>

lib::task handler() {
  co_await lib::after_ms(1);
  sleep(1);
}
