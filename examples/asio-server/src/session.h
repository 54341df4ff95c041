#ifndef DEMO_SESSION_H
#define DEMO_SESSION_H

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

namespace demo {

// Answers request lines on `socket` until the client sends QUIT or goes away.
boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket,
                                     boost::asio::thread_pool &offload_pool);

} // namespace demo

#endif // DEMO_SESSION_H
