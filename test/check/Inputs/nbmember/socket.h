#pragma once
#include <sys/socket.h>

class Socket {
public:
  explicit Socket(bool blocking);
  int native_handle() const { return m_fd; }

private:
  int m_fd = -1;
};

class Pipe {
public:
  int write_fd() const { return m_fd; }

private:
  int m_fd = -1; // nothing makes it non-blocking
};
