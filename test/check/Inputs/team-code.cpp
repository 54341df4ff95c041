#include "task.h"

#include <mutex>

namespace db {
struct Connection {
  int query(const char *sql);
};
} // namespace db

std::mutex m;
lib::task handler(db::Connection &conn) {
  co_await lib::after_ms(1);
  conn.query("SELECT 1");

  std::lock_guard<std::mutex> g(m);
}
