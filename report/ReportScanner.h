//===- ReportScanner.h - A report's members, one at a time ------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A report is one JSON object whose big members are arrays (findings,
// errors). The scanner walks the top-level object member by member and hands
// out the elements of an array one at a time, each parsed on its own, so that
// memory holds one element, not the document. Errors name the file, line and
// column, with the messages of common/JsonText.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_REPORTSCANNER_H
#define STALLHOUND_REPORT_REPORTSCANNER_H

#include "JsonText.h"
#include "ReportFile.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>

namespace stallhound::report {

/// A value read from a report, with what it takes to locate an error in it:
/// its text and where that starts. Positions inside it are worked out only
/// when an error needs one.
class ReportValue {
public:
  ReportValue(std::string Text, TextPosition Start, std::string Pointer,
              const std::string &File);

  const nlohmann::json &json() const { return Value; }
  const std::string &pointer() const { return Pointer; }

  /// Where the value behind Pointer (a pointer into the whole document,
  /// inside this value) begins.
  TextPosition positionOf(const std::string &Pointer) const;
  [[noreturn]] void fail(const std::string &Pointer,
                         const std::string &Message) const;

private:
  std::string Text;
  TextPosition Start;
  std::string Pointer;
  std::string File;
  nlohmann::json Value;
  mutable std::optional<JsonDocument> Located;

  const JsonDocument &located() const;
  TextPosition inFile(TextPosition InText) const;
};

class ReportScanner {
public:
  explicit ReportScanner(ReportFile &File) : File(File) {}

  /// Moves to the top-level value. False when it is no object (a
  /// syntax error before it throws).
  bool beginDocument();
  /// Where the top-level value begins.
  TextPosition documentPosition() const { return DocumentStart; }

  /// The key of the next member of the top-level object, its value next;
  /// false after the object's '}' (when only space may follow).
  bool nextMember(std::string &Key);
  /// Where the current member's value begins.
  TextPosition valuePosition() const { return ValueStart; }
  /// The first character of the current member's value.
  int peekValue() const { return ValueFirst; }

  /// The current member's value, parsed (Pointer names it).
  ReportValue readValue(const std::string &Pointer);
  /// Moves past the current member's value, checking only that its brackets
  /// and strings end.
  void skipValue();

  /// Moves into the current member's value, an array.
  void beginArray();
  /// The next element of that array, or nothing after its ']'.
  std::optional<ReportValue> nextElement(const std::string &ArrayPointer);

private:
  ReportFile &File;
  TextPosition DocumentStart, ValueStart;
  int ValueFirst = -1;
  bool InObject = false, AfterValue = false;
  bool InArray = false, AfterElement = false;
  size_t ElementIndex = 0;
  std::set<std::string> Keys;

  [[noreturn]] void fail(const std::string &Message) const {
    File.fail(File.position(), Message);
  }
  void skipSpace();
  void expectValue();
  /// Reads one value's text into Text (or only moves past it when Text is
  /// null).
  void scanValue(std::string *Text);
  void scanString(std::string *Text);
  void take(std::string *Text);
};

} // namespace stallhound::report

#endif
