#include "socket.h"
#include "task.h"

#include <unistd.h>

lib::task handler(Socket &socket, Pipe &pipe) {
  co_await lib::after_ms(1);
  char buf[64];
  ::recv(socket.native_handle(), buf, sizeof buf, 0);
  ::write(pipe.write_fd(), buf, 1);
}
