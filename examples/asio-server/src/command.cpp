#include "command.h"

#include <charconv>
#include <stdexcept>

namespace demo {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

} // namespace

command parse_command(std::string_view line) {
  line = trim(line);
  const auto space = line.find(' ');
  if (space == std::string_view::npos)
    return {std::string(line), {}};
  return {std::string(line.substr(0, space)),
          std::string(trim(line.substr(space + 1)))};
}

std::uint64_t parse_number(std::string_view text) {
  text = trim(text);
  std::uint64_t value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument("expected a number, got '" + std::string(text) +
                                "'");
  return value;
}

} // namespace demo
