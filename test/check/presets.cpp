// RUN: %expect-exit 1 %stallhound check %s -- %cxxflags -I%S/Inputs/frameworks 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// Without the presets, a synchronous framework handler is not known:
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/presets.cpp && echo '{"presets": ["asio"]}' > %t/.stallhound.json
// RUN: %expect-exit 0 %stallhound check %t/presets.cpp -- %cxxflags -I%S/Inputs/frameworks -I%S/Inputs 2>&1 | %FileCheck %s --check-prefix=NONE
// RUN: echo '{"presets": ["cinatra", "nosuch"]}' > %t/.stallhound.json
// RUN: %expect-exit 2 %stallhound check %t/presets.cpp -- %cxxflags -I%S/Inputs/frameworks 2>&1 | %FileCheck %s --check-prefix=UNKNOWN
// NONE: 1 translation unit analyzed, 0 failed, 0 findings
// UNKNOWN: .stallhound.json:1:25: unknown preset 'nosuch' (known: asio, async-simple, beast, boost-asio, cinatra, libcoro, libuv)
#include "cinatra.h"

#include <chrono>
#include <fstream>
#include <thread>

// cinatra: a synchronous HTTP handler runs on the server's io thread.
void routes(cinatra::coro_http_server &server) {
  server.set_http_handler<cinatra::GET>(
      "/slow", [](cinatra::coro_http_request &, cinatra::coro_http_response &res) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        // CHECK: presets.cpp:[[@LINE-1]]:9: warning: 'std::this_thread::sleep_for' {{.*}} in handler 'lambda at presets.cpp:[[@LINE-2]]:16' [stallhound-sleep]
        res.set_status_and_content(200, "ok");
      });
}

// cinatra's coro_io::post: the function runs on the blocking executor, unless
// given the io executor.
lib::task read_config(std::string path) {
  co_await coro_io::post([&] { std::ifstream in(path); });
  co_await coro_io::post([&] { std::ifstream in(path); },
                         coro_io::get_io_executor());
  // CHECK: presets.cpp:[[@LINE-2]]:46: warning: 'std::basic_ifstream' does synchronous file I/O {{.*}} in handler 'lambda at presets.cpp:[[@LINE-2]]:26'
}
