#include "stats.h"

#include <utility>

namespace demo {

std::mutex stats_mutex;
server_stats stats;

void count_request() {
  std::lock_guard<std::mutex> lock(stats_mutex);
  ++stats.requests;
}

void store_audit_record(std::string record) {
  std::lock_guard<std::mutex> lock(stats_mutex);
  ++stats.audit_records;
  stats.last_audit_record = std::move(record);
}

} // namespace demo
