#include "../task.h"
#include "missing_header.h"

lib::task handler_in_broken_file() {
  co_await lib::after_ms(1);
}
