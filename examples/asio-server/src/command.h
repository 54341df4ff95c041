#ifndef DEMO_COMMAND_H
#define DEMO_COMMAND_H

#include <cstdint>
#include <string>
#include <string_view>

namespace demo {

// One request line, split into its first word and the rest.
struct command {
  std::string name;
  std::string args;
};

command parse_command(std::string_view line);

// Parses a whole string as a non-negative decimal number; throws
// std::invalid_argument otherwise.
std::uint64_t parse_number(std::string_view text);

} // namespace demo

#endif // DEMO_COMMAND_H
