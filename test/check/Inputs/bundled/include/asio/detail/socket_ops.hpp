// A copy of asio inside the project (include/asio/...): library code.
#pragma once
#include <poll.h>
namespace asio::detail {
inline int poll_read(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, -1);
}
} // namespace asio::detail
