#include "task.h"
#include "helpers.h"

lib::task handle_settings() {
  co_await lib::after_ms(1);
  auto text = load_settings("/etc/app.conf");
}

lib::task handle_commit() {
  co_await lib::after_ms(1);
  flush_journal();
}

lib::task handle_digest(int rounds) {
  co_await lib::after_ms(1);
  compute_digest(rounds);
}

// Not a handler: the same helpers are fine here.
int main() {
  load_settings("/etc/app.conf");
  flush_journal();
}
