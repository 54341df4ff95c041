#ifndef DEMO_STATS_H
#define DEMO_STATS_H

#include <cstdint>
#include <mutex>
#include <string>

namespace demo {

struct server_stats {
  std::uint64_t requests = 0;
  std::uint64_t audit_records = 0;
  std::string last_audit_record;
};

// Guards `stats`.
extern std::mutex stats_mutex;
extern server_stats stats;

void count_request();
void store_audit_record(std::string record);

} // namespace demo

#endif // DEMO_STATS_H
