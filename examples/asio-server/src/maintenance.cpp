#include "maintenance.h"

#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace demo {

void rotate_logs() {
  const std::filesystem::path log_file = "asio-server.log";
  std::error_code ignored;
  if (!std::filesystem::exists(log_file, ignored))
    return;
  std::filesystem::rename(log_file, "asio-server.log.1", ignored);
  // Gives a log shipper that still has the old file open time to notice the
  // rename before the new run starts writing.
  ::sleep(1);
}

} // namespace demo
