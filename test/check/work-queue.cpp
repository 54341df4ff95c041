// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// An io_context that a class runs on a thread of its own and only posts work
// to is a work queue (asio's logger_service): what is posted there runs off
// the loop. An io_context that also drives I/O is an event loop.
#include <fstream>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio.hpp>

namespace net = boost::asio;

class logger {
public:
  logger() : thread_([this] { work_.run(); }) {}
  void log(std::string line) {
    net::post(work_, [this, line] { write(line); });
  }

private:
  void write(const std::string &line) {
    std::ofstream out("app.log", std::ios::app); // on the logger's thread
    out << line;
  }
  net::io_context work_;
  net::executor_work_guard<net::io_context::executor_type> guard_{
      net::make_work_guard(work_)};
  std::thread thread_;
};

// Its own thread runs it, but it drives a timer too: an event loop.
class ticker {
public:
  ticker() : thread_([this] { io_.run(); }) {}
  void record(std::string line) {
    net::post(io_, [this, line] { save(line); });
    // CHECK: work-queue.cpp:[[@LINE-1]]:35: warning: 'std::basic_ofstream' does synchronous file I/O on the event-loop thread in handler 'lambda at work-queue.cpp:[[@LINE-1]]:20' through 'ticker::save'
  }

private:
  void save(const std::string &line) {
    std::ofstream out("ticks.log", std::ios::app);
    out << line;
  }
  net::io_context io_;
  net::steady_timer timer_{io_};
  std::thread thread_;
};
