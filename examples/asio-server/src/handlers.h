#ifndef DEMO_HANDLERS_H
#define DEMO_HANDLERS_H

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <string>

namespace demo {

// Each handler answers one command with one reply line (without the newline).
// Arguments are taken by value because they must outlive every suspension.

boost::asio::awaitable<std::string> handle_ping();
boost::asio::awaitable<std::string> handle_nap(std::string args);
boost::asio::awaitable<std::string> handle_config(std::string path);
boost::asio::awaitable<std::string> handle_lookup(std::string host);
boost::asio::awaitable<std::string> handle_sum(std::string args);
boost::asio::awaitable<std::string> handle_stats();
boost::asio::awaitable<std::string> handle_audit(std::string line);
boost::asio::awaitable<std::string>
handle_report(boost::asio::thread_pool &offload_pool);
boost::asio::awaitable<std::string> handle_count_words(std::string args);
boost::asio::awaitable<std::string>
handle_archive(boost::asio::thread_pool &offload_pool, std::string path);

} // namespace demo

#endif // DEMO_HANDLERS_H
