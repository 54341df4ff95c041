#include "server.h"
#include "task.h"

lib::task handler() {
  co_await lib::after_ms(1);
  pause_briefly();
}
