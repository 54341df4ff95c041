// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
#include <utility>

#include <boost/asio.hpp>
#include <netdb.h>

namespace net = boost::asio;
using net::ip::tcp;

net::awaitable<void> lookup(std::string host) {
  auto ex = co_await net::this_coro::executor;
  tcp::resolver resolver(ex);
  auto results = resolver.resolve(host, "80");
  // CHECK: dns.cpp:[[@LINE-1]]:27: warning: 'boost::asio::ip::basic_resolver::resolve' resolves a name synchronously on the event-loop thread in coroutine 'lookup' [stallhound-dns]
  addrinfo *info = nullptr;
  getaddrinfo(host.c_str(), "80", nullptr, &info);
  // CHECK: dns.cpp:[[@LINE-1]]:3: warning: 'getaddrinfo' resolves
  gethostbyname(host.c_str());
  // CHECK: dns.cpp:[[@LINE-1]]:3: warning: 'gethostbyname' resolves
}

// Negative: the asynchronous resolver.
net::awaitable<void> lookup_async(std::string host) {
  auto ex = co_await net::this_coro::executor;
  tcp::resolver resolver(ex);
  auto results = co_await resolver.async_resolve(host, "80", net::use_awaitable);
}
