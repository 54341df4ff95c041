#include "socket.h"

#include <fcntl.h>

Socket::Socket(bool blocking) : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) {
  int flags = fcntl(m_fd, F_GETFL, 0);
  flags = blocking ? flags & ~O_NONBLOCK : (flags | O_NONBLOCK);
  fcntl(m_fd, F_SETFL, flags);
}
