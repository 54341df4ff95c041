// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// C16: after socket.non_blocking(true), the socket's synchronous calls return
// would_block instead of waiting (also for a member set in another method).
#include <utility>

#include <boost/asio.hpp>

namespace net = boost::asio;
using net::ip::tcp;

struct relay {
  tcp::socket upstream;
  tcp::socket blocking;
  char data[512];

  void open() { upstream.non_blocking(true); }

  net::awaitable<void> pump(tcp::socket client) {
    client.non_blocking(true);
    boost::system::error_code ec;
    std::size_t n = client.read_some(net::buffer(data), ec);
    upstream.write_some(net::buffer(data, n), ec);
    blocking.write_some(net::buffer(data, n), ec);
    // CHECK: nonblocking-asio.cpp:[[@LINE-1]]:14: warning: 'boost::asio::basic_stream_socket::write_some' waits on a socket synchronously {{.*}} in coroutine 'relay::pump'
    co_await client.async_wait(tcp::socket::wait_read, net::use_awaitable);
  }
};

// A wrapper (a third-party library) that keeps a reference to a socket its
// owner made non-blocking: the same object, so its reads do not block.
struct third_party {
  tcp::socket &socket_;
  explicit third_party(tcp::socket &s) : socket_(s) {}
  void do_read(char *data) {
    boost::system::error_code ec;
    socket_.read_some(net::buffer(data, 1), ec);
  }
};
struct connection {
  tcp::socket socket_;
  third_party impl_{socket_};
  void start() { socket_.non_blocking(true); }
  net::awaitable<void> run(char *data) {
    impl_.do_read(data);
    co_return;
  }
};
// A wrapper bound only to a socket left blocking.
struct other_library {
  tcp::socket &socket_;
  explicit other_library(tcp::socket &s) : socket_(s) {}
  void do_read(char *data) {
    boost::system::error_code ec;
    socket_.read_some(net::buffer(data, 1), ec);
  }
};
struct plain_connection {
  tcp::socket socket_;
  other_library impl_{socket_};
  net::awaitable<void> run(char *data) {
    impl_.do_read(data);
    // CHECK: nonblocking-asio.cpp:[[@LINE-1]]:11: warning: 'boost::asio::basic_stream_socket::read_some' waits {{.*}} in coroutine 'plain_connection::run' through 'other_library::do_read'
    co_return;
  }
};

// After an asynchronous operation, asio has made the socket's descriptor
// non-blocking: raw I/O on native_handle() returns EAGAIN instead of waiting.
#include <sys/socket.h>
net::awaitable<void> pass_fd(tcp::socket &waited, tcp::socket &raw) {
  co_await waited.async_wait(tcp::socket::wait_write, net::use_awaitable);
  char byte = 0;
  ::send(waited.native_handle(), &byte, 1, 0);
  ::send(raw.native_handle(), &byte, 1, 0);
  // CHECK: nonblocking-asio.cpp:[[@LINE-1]]:3: warning: 'send' waits on a socket synchronously {{.*}} in coroutine 'pass_fd'
}
