#include "handlers.h"

#include "command.h"
#include "config.h"
#include "stats.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace demo {

namespace {

using boost::asio::awaitable;
using boost::asio::use_awaitable;
using namespace std::chrono_literals;

// Lets other sessions run before this handler goes on.
awaitable<void> yield_to_loop() {
  auto executor = co_await boost::asio::this_coro::executor;
  co_await boost::asio::post(executor, use_awaitable);
}

// Stands in for sending `record` to a remote audit service.
awaitable<void> write_audit_record(std::string record) {
  boost::asio::steady_timer network_delay(
      co_await boost::asio::this_coro::executor, 1ms);
  co_await network_delay.async_wait(use_awaitable);
  store_audit_record(std::move(record));
}

} // namespace

awaitable<std::string> handle_ping() {
  boost::asio::steady_timer delay(co_await boost::asio::this_coro::executor,
                                  1ms);
  co_await delay.async_wait(use_awaitable);
  co_return "PONG";
}

awaitable<std::string> handle_nap(std::string args) {
  const std::uint64_t ms = parse_number(args);
  co_await yield_to_loop();
  // Blocks the loop: sleep_for parks the loop thread; await a steady_timer.
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  co_return "NAPPED";
}

awaitable<std::string> handle_config(std::string path) {
  co_await yield_to_loop();
  // Blocks the loop: load_config() ends in a synchronous std::ifstream read.
  const std::string config = load_config(path);
  co_return std::to_string(config.size());
}

awaitable<std::string> handle_lookup(std::string host) {
  boost::asio::ip::tcp::resolver resolver(
      co_await boost::asio::this_coro::executor);
  // Blocks the loop: resolve() waits for DNS; use async_resolve instead.
  const auto results = resolver.resolve(host, "80");
  co_return results.begin()->endpoint().address().to_string();
}

awaitable<std::string> handle_sum(std::string args) {
  const std::uint64_t count = parse_number(args);
  co_await yield_to_loop();
  std::uint64_t total = 0;
  // Blocks the loop: the client picks the bound and the body never co_awaits.
  for (std::uint64_t i = 0; i < count; ++i)
    total += i;
  co_return std::to_string(total);
}

awaitable<std::string> handle_stats() {
  std::lock_guard<std::mutex> lock(stats_mutex);
  // Lets requests that are already being answered show up in the counters.
  boost::asio::steady_timer settle(co_await boost::asio::this_coro::executor,
                                   1ms);
  // Blocks the loop: the lock is held while suspended; the next locker hangs.
  co_await settle.async_wait(use_awaitable);
  co_return "requests=" + std::to_string(stats.requests) +
      " audited=" + std::to_string(stats.audit_records);
}

awaitable<std::string> handle_audit(std::string line) {
  co_await yield_to_loop();
  // Blocks the loop: never co_awaited, so the audit record is never written.
  write_audit_record(line);
  co_return "AUDITED";
}

awaitable<std::string> handle_report(boost::asio::thread_pool &offload_pool) {
  auto loop = co_await boost::asio::this_coro::executor;
  auto report = std::make_shared<std::string>();
  auto report_ready = std::make_shared<boost::asio::steady_timer>(
      loop, boost::asio::steady_timer::time_point::max());
  boost::asio::post(offload_pool, [loop, report, report_ready] {
    // Stands in for slow report generation; fine on a pool thread.
    std::this_thread::sleep_for(50ms);
    *report = "REPORTED";
    boost::asio::post(loop, [report_ready] { report_ready->cancel(); });
  });
  // The cancel is posted to the loop, which is busy running this coroutine
  // until the wait below has started, so the wake-up cannot be missed.
  boost::system::error_code cancelled;
  co_await report_ready->async_wait(
      boost::asio::redirect_error(use_awaitable, cancelled));
  co_return *report;
}

awaitable<std::string> handle_count_words(std::string args) {
  co_await yield_to_loop();
  int words = 0;
  std::string::size_type position = 0;
  // Counts at most 8 words, so the loop stays short whatever the client sends.
  for (int i = 0; i < 8; ++i) {
    position = args.find_first_not_of(' ', position);
    if (position == std::string::npos)
      break;
    ++words;
    position = args.find(' ', position);
  }
  co_return std::to_string(words);
}

awaitable<std::string> handle_archive(boost::asio::thread_pool &offload_pool,
                                      std::string path) {
  auto loop = co_await boost::asio::this_coro::executor;
  // The rest runs on the pool, where reading a file synchronously is fine...
  co_await boost::asio::post(offload_pool, use_awaitable);
  const std::string data = load_config(path);
  // ...until the coroutine hops back to the loop to answer.
  co_await boost::asio::post(loop, use_awaitable);
  // try_lock never waits: it counts the archive only when the lock is free.
  if (stats_mutex.try_lock()) {
    ++stats.requests;
    stats_mutex.unlock();
  }
  co_return std::to_string(data.size());
}

} // namespace demo
