#include "../../../task.h"

#include <mutex>
#include <unistd.h>

namespace db { int query(const char *sql); }
namespace cache { void refresh(); }
namespace fastlog { inline void write(const char *) { usleep(1); } }
namespace jobs { inline void submit(void (*work)()) { work(); } }
void on_timer(void (*callback)());

std::mutex m;
void compress() { sleep(1); }
void tick() { usleep(100); }

lib::task handler() {
  co_await lib::after_ms(1);
  std::lock_guard<std::mutex> guard(m);
  sleep(1);
  db::query("SELECT 1");
  cache::refresh();
  fastlog::write("ok");
  jobs::submit(compress);
  for (int i = 0; i < 5000; ++i)
    usleep(0);
  on_timer(tick);
}
