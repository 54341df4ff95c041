// RUN: %expect-exit 1 %stallhound check %s -- -std=c++17 -I%python_include 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// pybind11 functions run with the GIL held too; gil_scoped_release lets go.
#include <pybind11/pybind11.h>

#include <chrono>
#include <thread>

namespace py = pybind11;

int fetch_slowly() {
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return 1;
}

int fetch_politely() {
  py::gil_scoped_release release;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return 1;
}

PYBIND11_MODULE(demo, m) {
  m.def("fetch_slowly", &fetch_slowly);
  // CHECK: gil-held-pybind11.cpp:11:3: warning: 'std::this_thread::sleep_for' blocks while holding the GIL, which stops every Python thread (sleep) in 'fetch_slowly' [stallhound-gil-held]
  m.def("fetch_politely", &fetch_politely);
  m.def("inline_wait", [] { std::this_thread::sleep_for(std::chrono::seconds(1)); });
  // CHECK: gil-held-pybind11.cpp:[[@LINE-1]]:29: warning: 'std::this_thread::sleep_for' blocks while holding the GIL{{.*}} in 'lambda at gil-held-pybind11.cpp:[[@LINE-1]]:24'
}
