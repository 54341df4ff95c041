#include "client.h"

#include "command.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <iostream>
#include <string_view>

namespace demo {

// Blocking calls are fine here: the client runs no event loop.
int run_client(std::uint16_t port, const std::vector<std::string> &commands) {
  using boost::asio::ip::tcp;
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(boost::asio::ip::address_v4::loopback(), port));

  std::string pending;
  for (const std::string &line : commands) {
    boost::asio::write(socket, boost::asio::buffer(line + '\n'));
    boost::system::error_code error;
    const std::size_t length = boost::asio::read_until(
        socket, boost::asio::dynamic_buffer(pending), '\n', error);
    if (error == boost::asio::error::eof) {
      if (parse_command(line).name == "QUIT")
        return 0;
      std::cerr << "asio-server: server closed the connection after '" << line
                << "'\n";
      return 1;
    }
    if (error)
      throw boost::system::system_error(error);
    std::cout << std::string_view(pending).substr(0, length - 1) << '\n';
    pending.erase(0, length);
  }
  return 0;
}

} // namespace demo
