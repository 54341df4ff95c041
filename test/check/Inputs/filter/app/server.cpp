#include "../../task.h"
#include "../vendor/retry.h"

lib::task handler() {
  co_await lib::after_ms(1);
  vendor_backoff();
}
