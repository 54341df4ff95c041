#ifndef DEMO_CONFIG_H
#define DEMO_CONFIG_H

#include <string>

namespace demo {

// Returns the text of the configuration file at `path`.
std::string load_config(const std::string &path);

} // namespace demo

#endif // DEMO_CONFIG_H
