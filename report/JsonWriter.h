//===- JsonWriter.h - JSON written as it is made ----------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The merged report can hold hundreds of thousands of findings and stalls:
// it is written an element at a time instead of as one document, with the
// same bytes nlohmann::json's dump() would give (keys in the order the
// caller writes them, which must be sorted to match).
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_JSONWRITER_H
#define STALLHOUND_REPORT_JSONWRITER_H

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace stallhound::report {

class JsonWriter {
public:
  /// Indent as for dump(): -1 for one line, else spaces per level.
  JsonWriter(std::ostream &OS, int Indent) : OS(OS), Indent(Indent) {}

  void beginObject() { open('{'); }
  void endObject() { close('}'); }
  void beginArray() { open('['); }
  void endArray() { close(']'); }
  /// A member's key; its value is written next.
  void key(const std::string &Key);
  /// A whole value: an element, or the value of the last key.
  void value(const nlohmann::json &V);

  /// Small's members and the Streamed ones, which write their own value,
  /// in the sorted order of their keys.
  void object(const nlohmann::json &Small,
              const std::map<std::string, std::function<void()>> &Streamed);

private:
  std::ostream &OS;
  int Indent;
  std::vector<bool> Empty; // per open container
  bool AfterKey = false;

  void open(char Bracket);
  void close(char Bracket);
  /// Before a value or a key: the comma and line break of its container.
  void separate();
  void newLine(size_t Level);
};

} // namespace stallhound::report

#endif
