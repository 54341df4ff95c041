// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// C3 with the real Boost.Asio headers: the synchronous API inside an
// asio::awaitable coroutine is flagged, the asynchronous one is not.
// CHECK: stallhound: note: added -DBOOST_ASIO_HAS_CO_AWAIT=1: Boost 1.{{[0-9]+}} (< 1.77) hides asio's coroutine API from clang
#include <utility>

#include <boost/asio.hpp>

namespace net = boost::asio;
using net::ip::tcp;

net::awaitable<void> relay(tcp::socket client, tcp::socket upstream) {
  char data[1024];
  std::size_t n = co_await client.async_read_some(net::buffer(data), net::use_awaitable);
  net::write(upstream, net::buffer(data, n));
  // CHECK: asio-sync-api.cpp:[[@LINE-1]]:3: warning: 'boost::asio::write' waits on a socket synchronously on the event-loop thread in coroutine 'relay' [stallhound-socket-io]
  net::read(upstream, net::buffer(data, 4));
  // CHECK: asio-sync-api.cpp:[[@LINE-1]]:3: warning: 'boost::asio::read' waits
  n = upstream.read_some(net::buffer(data));
  // CHECK: asio-sync-api.cpp:[[@LINE-1]]:16: warning: 'boost::asio::basic_stream_socket::read_some' waits
  upstream.connect(tcp::endpoint(net::ip::address_v4::loopback(), 9));
  // The same socket's calls are one finding:
  // CHECK: asio-sync-api.cpp:[[@LINE-2]]:12: note: 'relay' also calls 'boost::asio::basic_socket::connect' here
  co_await net::async_write(client, net::buffer(data, n), net::use_awaitable);
}
