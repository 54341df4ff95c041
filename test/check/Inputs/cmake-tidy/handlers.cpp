#include "task.h"

#include <unistd.h>

lib::task handle_request() {
  co_await lib::after_ms(1);
  usleep(1000);
}
