#ifndef DEMO_FILE_UTIL_H
#define DEMO_FILE_UTIL_H

#include <string>

namespace demo {

// Reads the file at `path` synchronously; throws std::runtime_error if it
// cannot be opened.
std::string read_whole_file(const std::string &path);

} // namespace demo

#endif // DEMO_FILE_UTIL_H
