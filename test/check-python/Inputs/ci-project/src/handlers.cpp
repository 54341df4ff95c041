#include "task.h"

void flush_journal();

lib::task handle_commit() {
  co_await lib::after_ms(1);
  flush_journal();
}
