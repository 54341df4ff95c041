#ifndef DEMO_LISTENER_H
#define DEMO_LISTENER_H

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

namespace demo {

// Runs one session per accepted connection. With a non-zero
// `max_connections`, stops accepting after that many connections and stops
// `loop` once all of their sessions have finished.
boost::asio::awaitable<void>
accept_connections(boost::asio::ip::tcp::acceptor acceptor,
                   boost::asio::thread_pool &offload_pool,
                   unsigned max_connections, boost::asio::io_context &loop);

} // namespace demo

#endif // DEMO_LISTENER_H
