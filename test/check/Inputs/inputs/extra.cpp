// Not in the compile database: it gets the command of a similar file.
#include "task.h"

#include <unistd.h>

lib::task extra_handler() {
  co_await lib::after_ms(1);
  sleep(1);
}
