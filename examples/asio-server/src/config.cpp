#include "config.h"

#include "file_util.h"

#include <stdexcept>

namespace demo {

std::string load_config(const std::string &path) {
  std::string text = read_whole_file(path);
  if (text.empty())
    throw std::runtime_error("configuration file " + path + " is empty");
  return text;
}

} // namespace demo
