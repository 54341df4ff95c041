#include "client.h"
#include "command.h"
#include "listener.h"
#include "maintenance.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <exception>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

constexpr const char *kUsage =
    "usage: asio-server [--port N] [--max-connections N]\n"
    "       asio-server --client PORT COMMAND...\n";

struct server_options {
  std::uint16_t port = 0;
  unsigned max_connections = 0; // 0 means serve forever.
};

std::uint16_t parse_port(std::string_view text) {
  const std::uint64_t port = demo::parse_number(text);
  if (port > std::numeric_limits<std::uint16_t>::max())
    throw std::invalid_argument("port out of range: " + std::string(text));
  return static_cast<std::uint16_t>(port);
}

server_options parse_server_options(const std::vector<std::string> &args) {
  server_options options;
  for (std::size_t i = 0; i < args.size(); i += 2) {
    if (args[i] != "--port" && args[i] != "--max-connections")
      throw std::invalid_argument("unknown option " + args[i]);
    if (i + 1 == args.size())
      throw std::invalid_argument(args[i] + " needs a value");
    if (args[i] == "--port")
      options.port = parse_port(args[i + 1]);
    else
      options.max_connections =
          static_cast<unsigned>(demo::parse_number(args[i + 1]));
  }
  return options;
}

int run_server(const server_options &options) {
  using boost::asio::ip::tcp;
  boost::asio::thread_pool offload_pool(2);
  boost::asio::io_context loop;
  tcp::acceptor acceptor(
      loop,
      tcp::endpoint(boost::asio::ip::address_v4::loopback(), options.port));
  std::cout << "listening on 127.0.0.1:" << acceptor.local_endpoint().port()
            << std::endl;

  boost::asio::co_spawn(loop,
                        demo::accept_connections(std::move(acceptor),
                                                 offload_pool,
                                                 options.max_connections, loop),
                        [](std::exception_ptr failure) {
                          if (failure)
                            std::rethrow_exception(failure);
                        });
  loop.run();
  offload_pool.join();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (!args.empty() && args[0] == "--client") {
      if (args.size() < 3)
        throw std::invalid_argument("--client needs a port and a command");
      return demo::run_client(
          parse_port(args[1]),
          std::vector<std::string>(args.begin() + 2, args.end()));
    }
    const server_options options = parse_server_options(args);
    demo::rotate_logs();
    return run_server(options);
  } catch (const std::invalid_argument &error) {
    std::cerr << "asio-server: " << error.what() << '\n' << kUsage;
    return 2;
  } catch (const std::exception &error) {
    std::cerr << "asio-server: " << error.what() << '\n';
    return 1;
  }
}
