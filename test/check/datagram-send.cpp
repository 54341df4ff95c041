// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// A datagram send waits only for local buffer space, never for the peer: a
// remark. Receiving a datagram waits for one to arrive: a warning.
#include <utility>

#include <boost/asio.hpp>

namespace net = boost::asio;
using net::ip::udp;

net::awaitable<void> reply(udp::socket &socket, udp::endpoint peer) {
  char data[512];
  boost::system::error_code ec;
  socket.send_to(net::buffer(data, 4), peer, 0, ec);
  // CHECK: datagram-send.cpp:[[@LINE-1]]:10: remark: 'boost::asio::basic_datagram_socket::send_to' sends a datagram synchronously on the event-loop thread; it waits when the socket's send buffer is full in coroutine 'reply' [stallhound-datagram-send]
  socket.receive_from(net::buffer(data), peer);
  // CHECK: datagram-send.cpp:[[@LINE-1]]:10: warning: 'boost::asio::basic_datagram_socket::receive_from' waits on a socket synchronously {{.*}} [stallhound-socket-io]
  co_await socket.async_send_to(net::buffer(data, 4), peer, net::use_awaitable);
}
