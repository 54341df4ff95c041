// RUN: not %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
#include "task.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

lib::task handler_blocking_socket(int client) {
  co_await lib::after_ms(1);
  char buf[512];
  recv(client, buf, sizeof buf, 0);
  // CHECK: socket-io.cpp:[[@LINE-1]]:3: warning: 'recv' waits on a socket synchronously on the event-loop thread in coroutine 'handler_blocking_socket' [stallhound-socket-io]
  send(client, buf, 3, 0);
  // CHECK: socket-io.cpp:[[@LINE-1]]:3: warning: 'send' waits
  int upstream = socket(AF_INET, SOCK_STREAM, 0);
  connect(upstream, nullptr, 0);
  // CHECK: socket-io.cpp:[[@LINE-1]]:3: warning: 'connect' waits
  read(upstream, buf, sizeof buf);
  // CHECK: socket-io.cpp:[[@LINE-1]]:3: warning: 'read' waits on a socket synchronously{{.*}}[stallhound-socket-io]
  pollfd p{upstream, POLLIN, 0};
  poll(&p, 1, 5000);
  // CHECK: socket-io.cpp:[[@LINE-1]]:3: warning: 'poll' waits
  accept(client, nullptr, nullptr);
  // CHECK: socket-io.cpp:[[@LINE-1]]:3: warning: 'accept' waits
}

// Negative (C12): non-blocking variants.
lib::task handler_nonblocking(int client) {
  co_await lib::after_ms(1);
  char buf[512];
  recv(client, buf, sizeof buf, MSG_DONTWAIT);
  int fast = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  recv(fast, buf, sizeof buf, 0);
  read(fast, buf, sizeof buf);
  int switched = socket(AF_INET, SOCK_STREAM, 0);
  fcntl(switched, F_SETFL, fcntl(switched, F_GETFL) | O_NONBLOCK);
  send(switched, buf, 1, 0);
  pollfd p{fast, POLLIN, 0};
  poll(&p, 1, 0);
  timeval zero{0, 0};
  select(0, nullptr, nullptr, nullptr, &zero);
}
