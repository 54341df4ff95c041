#include "helpers.h"

#include <fstream>
#include <sstream>

static std::string read_file(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string load_settings(const std::string &path) { return read_file(path); }
