#include <unistd.h>

// The same name as the coroutine session() of coro_app/session.cpp, in
// another program: a thread-per-connection session that blocks by design.
void session(int fd) {
  char buf[64];
  read(fd, buf, sizeof buf);
}
