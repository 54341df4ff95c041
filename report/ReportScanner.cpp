//===- ReportScanner.cpp - A report's members, one at a time --------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ReportScanner.h"

#include <vector>

namespace stallhound::report {

namespace {

using nlohmann::json;

/// The nesting limit of common/JsonText.
constexpr int MaxDepth = 256;

/// What nlohmann's parser accepts but JsonText refuses (a duplicate key, too
/// deep nesting): JsonText then says where and why.
struct Refused {};

/// nlohmann's parser is several times faster than JsonText, which records
/// the position of every value; JsonText decides only when nlohmann refuses
/// the text (to name the error) or accepts what JsonText does not.
std::optional<json> parseFast(const std::string &Text) {
  std::vector<std::vector<std::string>> Keys;
  json::parser_callback_t Check = [&](int Depth, json::parse_event_t Event,
                                      json &Parsed) {
    switch (Event) {
    case json::parse_event_t::object_start:
      if (Depth > MaxDepth)
        throw Refused();
      Keys.emplace_back();
      break;
    case json::parse_event_t::array_start:
      if (Depth > MaxDepth)
        throw Refused();
      break;
    case json::parse_event_t::key: {
      std::vector<std::string> &Seen = Keys.back();
      const std::string &Key = Parsed.get_ref<const std::string &>();
      for (const std::string &Other : Seen)
        if (Other == Key)
          throw Refused();
      Seen.push_back(Key);
      break;
    }
    case json::parse_event_t::object_end:
      Keys.pop_back();
      break;
    default:
      break;
    }
    return true;
  };
  try {
    json Value = json::parse(Text, Check, /*allow_exceptions=*/false,
                             /*ignore_comments=*/true);
    if (Value.is_discarded())
      return std::nullopt;
    return Value;
  } catch (const Refused &) {
    return std::nullopt;
  }
}

/// E's message without its "file:line:col: " prefix.
std::string bareMessage(const LocatedError &E) {
  TextPosition P = E.position();
  std::string Prefix = P.Line == 0 ? E.file() + ": "
                                   : E.file() + ":" + std::to_string(P.Line) +
                                         ":" + std::to_string(P.Column) + ": ";
  std::string What = E.what();
  return What.compare(0, Prefix.size(), Prefix) == 0
             ? What.substr(Prefix.size())
             : What;
}

} // namespace

ReportValue::ReportValue(std::string Text, TextPosition Start,
                         std::string Pointer, const std::string &File)
    : Text(std::move(Text)), Start(Start), Pointer(std::move(Pointer)),
      File(File) {
  if (auto Fast = parseFast(this->Text))
    Value = std::move(*Fast);
  else
    Value = located().Root; // throws the located syntax error
}

TextPosition ReportValue::inFile(TextPosition InText) const {
  if (InText.Line == 0)
    return Start;
  if (InText.Line == 1)
    return {Start.Line, Start.Column + InText.Column - 1};
  return {Start.Line + InText.Line - 1, InText.Column};
}

const JsonDocument &ReportValue::located() const {
  if (!Located) {
    try {
      Located = parseJsonText(Text, File);
    } catch (const LocatedError &E) {
      throw LocatedError(File, inFile(E.position()), bareMessage(E));
    }
  }
  return *Located;
}

TextPosition ReportValue::positionOf(const std::string &Ptr) const {
  if (Ptr.compare(0, Pointer.size(), Pointer) != 0)
    return Start;
  return inFile(located().positionOf(Ptr.substr(Pointer.size())));
}

void ReportValue::fail(const std::string &Ptr,
                       const std::string &Message) const {
  throw LocatedError(File, positionOf(Ptr), Message);
}

void ReportScanner::skipSpace() {
  for (;;) {
    int C = File.peek();
    if (C == ' ' || C == '\t' || C == '\n' || C == '\r') {
      File.advance();
      continue;
    }
    if (C != '/')
      return;
    // Comments, as common/JsonText allows them.
    TextPosition Start = File.position();
    File.advance();
    if (File.peek() == '/') {
      while (File.peek() >= 0 && File.peek() != '\n')
        File.advance();
    } else if (File.peek() == '*') {
      File.advance();
      for (int Last = 0;;) {
        int Next = File.peek();
        if (Next < 0)
          File.fail(Start, "unterminated /* comment");
        File.advance();
        if (Last == '*' && Next == '/')
          break;
        Last = Next;
      }
    } else {
      File.fail(Start, "unexpected character '/', expected a value");
    }
  }
}

bool ReportScanner::beginDocument() {
  skipSpace();
  DocumentStart = File.position();
  int C = File.peek();
  if (C < 0)
    fail("unexpected end of file, expected a value");
  if (C == '{') {
    File.advance();
    InObject = true;
    return true;
  }
  if (C == '[' || C == '"' || C == '-' || (C >= '0' && C <= '9') || C == 't' ||
      C == 'f' || C == 'n')
    return false;
  fail(std::string("unexpected character '") + char(C) + "', expected a value");
}

bool ReportScanner::nextMember(std::string &Key) {
  if (!InObject)
    return false;
  skipSpace();
  if (AfterValue) {
    if (File.peek() == ',') {
      File.advance();
      skipSpace();
    } else if (File.peek() != '}') {
      fail("expected ',' or '}' in object");
    }
  }
  if (File.peek() == '}') {
    File.advance();
    InObject = false;
    skipSpace();
    if (File.peek() >= 0)
      fail("unexpected text after the JSON value");
    return false;
  }
  if (File.peek() != '"')
    fail("expected a quoted key or '}'");
  TextPosition KeyPos = File.position();
  std::string Text;
  scanString(&Text);
  ReportValue Parsed(std::move(Text), KeyPos, "", File.path());
  Key = Parsed.json().get<std::string>();
  if (!Keys.insert(Key).second)
    File.fail(KeyPos, "duplicate key '" + Key + "'");
  skipSpace();
  if (File.peek() != ':')
    fail("expected ':' after the key");
  File.advance();
  expectValue();
  AfterValue = true;
  return true;
}

void ReportScanner::expectValue() {
  skipSpace();
  ValueStart = File.position();
  ValueFirst = File.peek();
  if (ValueFirst < 0)
    fail("unexpected end of file, expected a value");
}

ReportValue ReportScanner::readValue(const std::string &Pointer) {
  std::string Text;
  scanValue(&Text);
  return ReportValue(std::move(Text), ValueStart, Pointer, File.path());
}

void ReportScanner::skipValue() { scanValue(nullptr); }

void ReportScanner::beginArray() {
  File.advance(); // [
  InArray = true;
  AfterElement = false;
  ElementIndex = 0;
}

std::optional<ReportValue>
ReportScanner::nextElement(const std::string &ArrayPointer) {
  if (!InArray)
    return std::nullopt;
  skipSpace();
  if (AfterElement) {
    if (File.peek() == ',') {
      File.advance();
      skipSpace();
    } else if (File.peek() != ']') {
      fail("expected ',' or ']' in array");
    }
  }
  if (File.peek() == ']') { // after a comma too: JsonText tolerates it
    File.advance();
    InArray = false;
    return std::nullopt;
  }
  expectValue();
  AfterElement = true;
  return readValue(ArrayPointer + "/" + std::to_string(ElementIndex++));
}

void ReportScanner::take(std::string *Text) {
  if (Text)
    Text->push_back(char(File.peek()));
  File.advance();
}

void ReportScanner::scanString(std::string *Text) {
  TextPosition Start = File.position();
  take(Text); // "
  for (;;) {
    int C = File.peek();
    if (C < 0)
      File.fail(Start, "unterminated string");
    take(Text);
    if (C == '"')
      return;
    if (C == '\\' && File.peek() >= 0)
      take(Text);
  }
}

void ReportScanner::scanValue(std::string *Text) {
  int C = File.peek();
  if (C == '"')
    return scanString(Text);
  if (C != '{' && C != '[') {
    // A number or a word: the parser checks it.
    size_t Length = 0;
    for (; (C = File.peek()) >= 0 && C != ',' && C != ']' && C != '}' &&
           C != ' ' && C != '\t' && C != '\n' && C != '\r' && C != '/';
         ++Length)
      take(Text);
    if (!Length)
      fail(std::string("unexpected character '") + char(C) +
           "', expected a value");
    return;
  }
  size_t Depth = 0;
  for (;;) {
    C = File.peek();
    if (C < 0)
      fail("unexpected end of file: the report is cut short");
    if (C == '"') {
      scanString(Text);
      continue;
    }
    if (C == '/') { // a comment: brackets in it do not count
      TextPosition Start = File.position();
      take(Text);
      if (File.peek() == '/') {
        while (File.peek() >= 0 && File.peek() != '\n')
          take(Text);
      } else if (File.peek() == '*') {
        take(Text);
        for (int Last = 0;;) {
          int Next = File.peek();
          if (Next < 0)
            File.fail(Start, "unterminated /* comment");
          take(Text);
          if (Last == '*' && Next == '/')
            break;
          Last = Next;
        }
      }
      continue;
    }
    take(Text);
    if (C == '{' || C == '[')
      ++Depth;
    else if ((C == '}' || C == ']') && --Depth == 0)
      return;
  }
}

} // namespace stallhound::report
