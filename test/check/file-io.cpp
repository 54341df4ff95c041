// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
#include "task.h"

#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <unistd.h>

// Every call on one stream, FILE * or descriptor is one finding: the first
// call is the warning, the others are its notes.
lib::task handler_reads_config(std::string path) {
  co_await lib::after_ms(1);
  std::ifstream in(path);
  // CHECK: file-io.cpp:[[@LINE-1]]:17: warning: 'std::basic_ifstream' does synchronous file I/O on the event-loop thread in coroutine 'handler_reads_config' [stallhound-file-io]
  std::string line;
  std::getline(in, line);
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:3: note: 'handler_reads_config' also calls 'std::getline' here
  int n = 0;
  in >> n;
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:6: note: 'handler_reads_config' also calls 'std::basic_istream::operator>>' here
  std::ofstream out("/tmp/out.txt");
  // CHECK: file-io.cpp:[[@LINE-1]]:17: warning: 'std::basic_ofstream' does
  out << line;
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:7: note: {{.*}} also calls 'std::operator<<' here
  out.flush();
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:7: note: {{.*}} also calls 'std::basic_ostream::flush' here
  out.close();
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:7: note: {{.*}} also calls 'std::basic_ofstream::close' here
}

lib::task handler_uses_stdio() {
  co_await lib::after_ms(1);
  FILE *f = fopen("/etc/hostname", "r");
  // CHECK: file-io.cpp:[[@LINE-1]]:13: warning: 'fopen' does
  char buf[64];
  fread(buf, 1, sizeof buf, f);
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:3: note: {{.*}} also calls 'fread' here
  fgets(buf, sizeof buf, f);
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:3: note: {{.*}} also calls 'fgets' here
  fclose(f);
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:3: note: {{.*}} also calls 'fclose' here
  FILE *log = fopen("/tmp/log", "a");
  // CHECK: file-io.cpp:[[@LINE-1]]:15: warning: 'fopen' does
  fclose(log);
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:3: note: {{.*}} also calls 'fclose' here
}

lib::task handler_uses_fds() {
  co_await lib::after_ms(1);
  int fd = open("/etc/hostname", O_RDONLY);
  // CHECK: file-io.cpp:[[@LINE-1]]:12: warning: 'open' does
  char buf[64];
  read(fd, buf, sizeof buf);
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:3: note: {{.*}} also calls 'read' here
  pwrite(fd, buf, 1, 0);
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:3: note: {{.*}} also calls 'pwrite' here
  fsync(fd);
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:3: note: {{.*}} also calls 'fsync' here
  fdatasync(fd);
  // CHECK-NEXT: file-io.cpp:[[@LINE-1]]:3: note: {{.*}} also calls 'fdatasync' here
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
