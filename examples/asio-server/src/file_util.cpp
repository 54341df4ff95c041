#include "file_util.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace demo {

std::string read_whole_file(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw std::runtime_error("cannot open " + path);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

} // namespace demo
