#include "listener.h"

#include "session.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <memory>
#include <utility>

namespace demo {

boost::asio::awaitable<void>
accept_connections(boost::asio::ip::tcp::acceptor acceptor,
                   boost::asio::thread_pool &offload_pool,
                   unsigned max_connections, boost::asio::io_context &loop) {
  auto finished = std::make_shared<unsigned>(0);
  // The server listens until its last session ends: closing the listening
  // socket is when a server starts shutting down.
  auto listening =
      std::make_shared<boost::asio::ip::tcp::acceptor>(std::move(acceptor));
  for (unsigned accepted = 0;
       max_connections == 0 || accepted < max_connections; ++accepted) {
    auto socket = co_await listening->async_accept(boost::asio::use_awaitable);
    // A session that fails only loses its own connection, so its exception
    // is dropped here.
    boost::asio::co_spawn(
        listening->get_executor(), session(std::move(socket), offload_pool),
        [finished, max_connections, listening, &loop](std::exception_ptr) {
          if (++*finished == max_connections) {
            listening->close();
            loop.stop();
          }
        });
  }
}

} // namespace demo
