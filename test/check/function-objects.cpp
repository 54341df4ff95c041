// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// Completion handlers reached through a function object (*this), std::bind
// and std::function, when the target is visible.
#include <functional>
#include <utility>

#include <boost/asio.hpp>
#include <unistd.h>

namespace net = boost::asio;
using net::ip::tcp;

// asio's stackless-coroutine style: the object is its own completion handler.
struct server {
  tcp::acceptor &acceptor;
  tcp::socket &socket;
  void operator()(boost::system::error_code = {}) {
    usleep(1);
    // CHECK: function-objects.cpp:[[@LINE-1]]:5: warning: 'usleep' {{.*}} in handler 'server::operator()' [stallhound-sleep]
    acceptor.async_accept(socket, *this);
  }
};

struct session {
  tcp::socket socket;
  char data[64];
  void on_read(boost::system::error_code, std::size_t) {
    sleep(1);
    // CHECK: function-objects.cpp:[[@LINE-1]]:5: warning: 'sleep' {{.*}} in handler 'session::on_read' [stallhound-sleep]
  }
  void start() {
    socket.async_read_some(net::buffer(data),
                           std::bind(&session::on_read, this,
                                     std::placeholders::_1,
                                     std::placeholders::_2));
  }
};

void log_line() { usleep(2); }

// std::function: the call runs what the variable was given.
net::awaitable<void> handler() {
  std::function<void()> flush = log_line;
  // CHECK: function-objects.cpp:[[@LINE+1]]:3: warning: 'usleep' {{.*}} in coroutine 'handler' through 'log_line'
  flush();
  std::function<void()> quiet = [] {};
  quiet();
  co_return;
}
