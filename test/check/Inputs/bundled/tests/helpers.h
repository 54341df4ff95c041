// The project's own test helper: user code.
#pragma once
#include <fstream>
inline bool read_fixture() {
  std::ifstream in("fixture.txt");
  return in.good();
}
