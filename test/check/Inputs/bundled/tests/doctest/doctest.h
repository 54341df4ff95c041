// A copy of a test framework inside the project: library code all the same.
#pragma once
#include <fstream>
namespace doctest {
inline bool isDebuggerActive() {
  std::ifstream in("/proc/self/status");
  return in.peek() == 'T';
}
} // namespace doctest
