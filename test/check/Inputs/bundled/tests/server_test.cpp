#include "doctest/doctest.h"
#include "helpers.h"
#include "task.h"

#include <asio/detail/socket_ops.hpp>

lib::task handler(int fd) {
  co_await lib::after_ms(1);
  doctest::isDebuggerActive();
  asio::detail::poll_read(fd);
  read_fixture();
}
