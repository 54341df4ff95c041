//===- JsonText.h - JSON with comments and source positions -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Rules and configuration files are hand-written JSON with // and /* */
// comments. Errors in them must name a line and column, which nlohmann::json
// does not keep, so this parser records where every value starts.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_COMMON_JSONTEXT_H
#define STALLHOUND_COMMON_JSONTEXT_H

#include <nlohmann/json.hpp>

#include <map>
#include <stdexcept>
#include <string>

namespace stallhound {

struct TextPosition {
  unsigned Line = 1;
  unsigned Column = 1;
};

/// An error located in a text file; what() is "FILE:LINE:COL: MESSAGE".
class LocatedError : public std::runtime_error {
public:
  LocatedError(std::string File, TextPosition Pos, const std::string &Message);
  const std::string &file() const { return File; }
  TextPosition position() const { return Pos; }

private:
  std::string File;
  TextPosition Pos;
};

/// A parsed document and where each value begins, keyed by JSON pointer
/// ("" for the root, "/rules/0/id" for a nested value).
struct JsonDocument {
  std::string File;
  nlohmann::json Root;
  std::map<std::string, TextPosition> Positions;

  TextPosition positionOf(const std::string &Pointer) const;
  /// Throws a LocatedError pointing at the value behind Pointer.
  [[noreturn]] void fail(const std::string &Pointer,
                         const std::string &Message) const;
};

/// Parses JSON that may contain comments. Throws LocatedError.
JsonDocument parseJsonText(const std::string &Text, const std::string &File);

/// Reads and parses a file. Throws LocatedError (position 0:0 when the file
/// cannot be read).
JsonDocument readJsonFile(const std::string &Path);

} // namespace stallhound

#endif
