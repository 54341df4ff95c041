// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
#include "task.h"

#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <unistd.h>

lib::task handler_reads_config(std::string path) {
  co_await lib::after_ms(1);
  std::ifstream in(path);
  // CHECK: file-io.cpp:[[@LINE-1]]:17: warning: 'std::basic_ifstream' does synchronous file I/O on the event-loop thread in coroutine 'handler_reads_config' [stallhound-file-io]
  std::string line;
  std::getline(in, line);
  // CHECK: file-io.cpp:[[@LINE-1]]:3: warning: 'std::getline' does synchronous file I/O
  int n = 0;
  in >> n;
  // CHECK: file-io.cpp:[[@LINE-1]]:6: warning: 'std::basic_istream::operator>>' does synchronous file I/O
  std::ofstream out("/tmp/out.txt");
  // CHECK: file-io.cpp:[[@LINE-1]]:17: warning: 'std::basic_ofstream' does
  out << line;
  // CHECK: file-io.cpp:[[@LINE-1]]:7: warning: 'std::operator<<' does
}

lib::task handler_uses_stdio() {
  co_await lib::after_ms(1);
  FILE *f = fopen("/etc/hostname", "r");
  // CHECK: file-io.cpp:[[@LINE-1]]:13: warning: 'fopen' does
  char buf[64];
  fread(buf, 1, sizeof buf, f);
  // CHECK: file-io.cpp:[[@LINE-1]]:3: warning: 'fread' does
  fgets(buf, sizeof buf, f);
  // CHECK: file-io.cpp:[[@LINE-1]]:3: warning: 'fgets' does
  fclose(f);
  // CHECK: file-io.cpp:[[@LINE-1]]:3: warning: 'fclose' does
}

lib::task handler_uses_fds() {
  co_await lib::after_ms(1);
  int fd = open("/etc/hostname", O_RDONLY);
  // CHECK: file-io.cpp:[[@LINE-1]]:12: warning: 'open' does
  char buf[64];
  read(fd, buf, sizeof buf);
  // CHECK: file-io.cpp:[[@LINE-1]]:3: warning: 'read' does
  pwrite(fd, buf, 1, 0);
  // CHECK: file-io.cpp:[[@LINE-1]]:3: warning: 'pwrite' does
  fsync(fd);
  // CHECK: file-io.cpp:[[@LINE-1]]:3: warning: 'fsync' does
  fdatasync(fd);
  // CHECK: file-io.cpp:[[@LINE-1]]:3: warning: 'fdatasync' does
}

// Negative: string streams touch no file; a default-constructed fstream
// opens nothing.
lib::task handler_formats() {
  co_await lib::after_ms(1);
  std::ostringstream text;
  text << 42;
  std::istringstream parse("1 2");
  int a = 0;
  parse >> a;
  std::ifstream unopened;
}

// Negative (C5): the read runs in std::async's thread.
lib::task handler_offloads_read() {
  auto size = std::async(std::launch::async, [] {
    std::ifstream in("/etc/hostname");
    return in.tellg();
  });
  co_await lib::after_ms(1);
}
