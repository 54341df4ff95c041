#include "session.h"

#include "command.h"
#include "handlers.h"
#include "stats.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <exception>
#include <string>
#include <string_view>

namespace demo {

namespace {

using boost::asio::awaitable;
using boost::asio::use_awaitable;

awaitable<std::string> answer(command request,
                              boost::asio::thread_pool &offload_pool) {
  count_request();
  const std::string &name = request.name;
  if (name == "PING")
    co_return co_await handle_ping();
  if (name == "NAP")
    co_return co_await handle_nap(request.args);
  if (name == "CONFIG")
    co_return co_await handle_config(request.args);
  if (name == "LOOKUP")
    co_return co_await handle_lookup(request.args);
  if (name == "SUM")
    co_return co_await handle_sum(request.args);
  if (name == "STATS")
    co_return co_await handle_stats();
  if (name == "AUDIT")
    co_return co_await handle_audit(request.name + " " + request.args);
  if (name == "REPORT")
    co_return co_await handle_report(offload_pool);
  if (name == "WORDS")
    co_return co_await handle_count_words(request.args);
  if (name == "ARCHIVE")
    co_return co_await handle_archive(offload_pool, request.args);
  co_return "ERROR unknown command '" + name + "'";
}

} // namespace

awaitable<void> session(boost::asio::ip::tcp::socket socket,
                        boost::asio::thread_pool &offload_pool) {
  std::string pending;
  for (;;) {
    boost::system::error_code error;
    const std::size_t length = co_await boost::asio::async_read_until(
        socket, boost::asio::dynamic_buffer(pending), '\n',
        boost::asio::redirect_error(use_awaitable, error));
    if (error)
      co_return; // The client went away without QUIT.
    const command request =
        parse_command(std::string_view(pending).substr(0, length - 1));
    pending.erase(0, length);
    if (request.name == "QUIT")
      co_return;

    std::string reply;
    try {
      reply = co_await answer(request, offload_pool);
    } catch (const std::exception &failure) {
      reply = std::string("ERROR ") + failure.what();
    }
    reply += '\n';
    co_await boost::asio::async_write(socket, boost::asio::buffer(reply),
                                      use_awaitable);
  }
}

} // namespace demo
