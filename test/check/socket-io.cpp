// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
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
  // CHECK-NEXT: socket-io.cpp:[[@LINE-1]]:3: note: 'handler_blocking_socket' also calls 'send' here
  accept(client, nullptr, nullptr);
  // CHECK-NEXT: socket-io.cpp:[[@LINE-1]]:3: note: 'handler_blocking_socket' also calls 'accept' here
  int upstream = socket(AF_INET, SOCK_STREAM, 0);
  connect(upstream, nullptr, 0);
  // CHECK: socket-io.cpp:[[@LINE-1]]:3: warning: 'connect' waits
  read(upstream, buf, sizeof buf);
  // CHECK-NEXT: socket-io.cpp:[[@LINE-1]]:3: note: 'handler_blocking_socket' also calls 'read' here
  pollfd p{upstream, POLLIN, 0};
  poll(&p, 1, 5000);
  // CHECK: socket-io.cpp:[[@LINE-1]]:3: warning: 'poll' waits
  int other = socket(AF_INET, SOCK_STREAM, 0);
  read(other, buf, sizeof buf);
  // CHECK: socket-io.cpp:[[@LINE-1]]:3: warning: 'read' waits on a socket synchronously{{.*}}[stallhound-socket-io]
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

// Negative: a wake-up pipe made non-blocking in the constructor, as a member,
// with the flags built in a variable (the libcoro pattern).
#include <array>
struct WakeupPipe {
  std::array<int, 2> fds{-1, -1};
  int signal_fd = -1;
  WakeupPipe() {
    for (const auto &fd : fds) {
      int flags = fcntl(fd, F_GETFL);
      flags |= O_NONBLOCK;
      fcntl(fd, F_SETFL, flags);
    }
    fcntl(signal_fd, F_SETFL, O_NONBLOCK);
  }
  const int &write_fd() const { return fds[1]; }
  long notify() {
    char c = 1;
    return write(fds[1], &c, 1) + write(signal_fd, &c, 1) +
           write(write_fd(), &c, 1);
  }
};

lib::task handler_wakes_loop(WakeupPipe &pipe) {
  co_await lib::after_ms(1);
  pipe.notify();
}

// Positive: a member nothing makes non-blocking.
struct BlockingPipe {
  int fd = -1;
  long notify() {
    char c = 1;
    return write(fd, &c, 1);
  }
};

lib::task handler_blocks_on_pipe(BlockingPipe &pipe) {
  co_await lib::after_ms(1);
  pipe.notify();
  // CHECK: socket-io.cpp:[[@LINE-1]]:8: warning: 'write' does synchronous file I/O on the event-loop thread in coroutine 'handler_blocks_on_pipe' through 'BlockingPipe::notify'
}
