//===- JsonText.cpp - JSON with comments and source positions -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "JsonText.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace stallhound {

LocatedError::LocatedError(std::string File, TextPosition Pos,
                           const std::string &Message)
    : std::runtime_error(Pos.Line == 0
                             ? File + ": " + Message
                             : File + ":" + std::to_string(Pos.Line) + ":" +
                                   std::to_string(Pos.Column) + ": " + Message),
      File(std::move(File)), Pos(Pos) {}

TextPosition JsonDocument::positionOf(const std::string &Pointer) const {
  std::string Key = Pointer;
  while (true) {
    auto It = Positions.find(Key);
    if (It != Positions.end())
      return It->second;
    size_t Slash = Key.rfind('/');
    if (Slash == std::string::npos)
      return {};
    Key.resize(Slash);
  }
}

void JsonDocument::fail(const std::string &Pointer,
                        const std::string &Message) const {
  throw LocatedError(File, positionOf(Pointer), Message);
}

namespace {

constexpr unsigned MaxDepth = 256;

std::string escapePointerToken(const std::string &Token) {
  std::string Out;
  for (char C : Token) {
    if (C == '~')
      Out += "~0";
    else if (C == '/')
      Out += "~1";
    else
      Out += C;
  }
  return Out;
}

class Parser {
public:
  Parser(const std::string &Text, JsonDocument &Doc) : Text(Text), Doc(Doc) {}

  void parseDocument() {
    skipSpace();
    Doc.Root = parseValue("", 0);
    skipSpace();
    if (Pos != Text.size())
      error("unexpected text after the JSON value");
  }

private:
  const std::string &Text;
  JsonDocument &Doc;
  size_t Pos = 0;
  TextPosition Here;

  [[noreturn]] void error(const std::string &Message) const {
    throw LocatedError(Doc.File, Here, Message);
  }

  bool atEnd() const { return Pos >= Text.size(); }
  char peek() const { return atEnd() ? '\0' : Text[Pos]; }

  void advance() {
    if (Text[Pos] == '\n') {
      ++Here.Line;
      Here.Column = 1;
    } else if ((static_cast<unsigned char>(Text[Pos]) & 0xC0) != 0x80) {
      ++Here.Column; // Count code points, not UTF-8 continuation bytes.
    }
    ++Pos;
  }

  void skipSpace() {
    while (!atEnd()) {
      char C = peek();
      if (C == ' ' || C == '\t' || C == '\n' || C == '\r') {
        advance();
      } else if (C == '/' && Pos + 1 < Text.size() && Text[Pos + 1] == '/') {
        while (!atEnd() && peek() != '\n')
          advance();
      } else if (C == '/' && Pos + 1 < Text.size() && Text[Pos + 1] == '*') {
        TextPosition Start = Here;
        advance();
        advance();
        while (
            !(peek() == '*' && Pos + 1 < Text.size() && Text[Pos + 1] == '/')) {
          if (atEnd()) {
            Here = Start;
            error("unterminated /* comment");
          }
          advance();
        }
        advance();
        advance();
      } else {
        return;
      }
    }
  }

  void expect(char C, const char *What) {
    if (peek() != C)
      error(std::string("expected ") + What);
    advance();
  }

  nlohmann::json parseValue(const std::string &Pointer, unsigned Depth) {
    if (Depth > MaxDepth)
      error("JSON nested too deeply");
    Doc.Positions[Pointer] = Here;
    switch (peek()) {
    case '{':
      return parseObject(Pointer, Depth);
    case '[':
      return parseArray(Pointer, Depth);
    case '"':
      return parseString();
    case 't':
      return parseWord("true", true);
    case 'f':
      return parseWord("false", false);
    case 'n':
      return parseWord("null", nullptr);
    case '\0':
      if (atEnd())
        error("unexpected end of file, expected a value");
      [[fallthrough]];
    default:
      if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
        return parseNumber();
      error(std::string("unexpected character '") + peek() +
            "', expected a value");
    }
  }

  nlohmann::json parseWord(const char *Word, nlohmann::json Value) {
    for (const char *P = Word; *P; ++P) {
      if (peek() != *P)
        error(std::string("invalid literal, expected '") + Word + "'");
      advance();
    }
    return Value;
  }

  nlohmann::json parseNumber() {
    size_t Start = Pos;
    if (peek() == '-')
      advance();
    if (!(peek() >= '0' && peek() <= '9'))
      error("invalid number");
    bool IsInteger = true;
    while (std::isdigit(static_cast<unsigned char>(peek())))
      advance();
    if (peek() == '.') {
      IsInteger = false;
      advance();
      if (!std::isdigit(static_cast<unsigned char>(peek())))
        error("invalid number: digits expected after '.'");
      while (std::isdigit(static_cast<unsigned char>(peek())))
        advance();
    }
    if (peek() == 'e' || peek() == 'E') {
      IsInteger = false;
      advance();
      if (peek() == '+' || peek() == '-')
        advance();
      if (!std::isdigit(static_cast<unsigned char>(peek())))
        error("invalid number: digits expected in exponent");
      while (std::isdigit(static_cast<unsigned char>(peek())))
        advance();
    }
    std::string Digits = Text.substr(Start, Pos - Start);
    if (IsInteger) {
      errno = 0;
      long long Value = std::strtoll(Digits.c_str(), nullptr, 10);
      if (errno != ERANGE)
        return Value;
    }
    return std::strtod(Digits.c_str(), nullptr);
  }

  static void appendUtf8(std::string &Out, unsigned CodePoint) {
    if (CodePoint < 0x80) {
      Out += static_cast<char>(CodePoint);
    } else if (CodePoint < 0x800) {
      Out += static_cast<char>(0xC0 | (CodePoint >> 6));
      Out += static_cast<char>(0x80 | (CodePoint & 0x3F));
    } else if (CodePoint < 0x10000) {
      Out += static_cast<char>(0xE0 | (CodePoint >> 12));
      Out += static_cast<char>(0x80 | ((CodePoint >> 6) & 0x3F));
      Out += static_cast<char>(0x80 | (CodePoint & 0x3F));
    } else {
      Out += static_cast<char>(0xF0 | (CodePoint >> 18));
      Out += static_cast<char>(0x80 | ((CodePoint >> 12) & 0x3F));
      Out += static_cast<char>(0x80 | ((CodePoint >> 6) & 0x3F));
      Out += static_cast<char>(0x80 | (CodePoint & 0x3F));
    }
  }

  unsigned parseHex4() {
    unsigned Value = 0;
    for (int I = 0; I < 4; ++I) {
      char C = peek();
      Value <<= 4;
      if (C >= '0' && C <= '9')
        Value |= C - '0';
      else if (C >= 'a' && C <= 'f')
        Value |= C - 'a' + 10;
      else if (C >= 'A' && C <= 'F')
        Value |= C - 'A' + 10;
      else
        error("invalid \\u escape");
      advance();
    }
    return Value;
  }

  /// JSON text is UTF-8 (RFC 3629: no overlong forms, no surrogates,
  /// nothing above U+10FFFF).
  static bool validUtf8(const std::string &S) {
    auto Byte = [&](size_t I) { return static_cast<unsigned char>(S[I]); };
    for (size_t I = 0; I < S.size();) {
      unsigned char C = Byte(I);
      size_t Length;
      unsigned char Low = 0x80, High = 0xBF; // range of the second byte
      if (C < 0x80)
        Length = 1;
      else if (C >= 0xC2 && C <= 0xDF)
        Length = 2;
      else if (C >= 0xE0 && C <= 0xEF) {
        Length = 3;
        Low = C == 0xE0 ? 0xA0 : 0x80;
        High = C == 0xED ? 0x9F : 0xBF;
      } else if (C >= 0xF0 && C <= 0xF4) {
        Length = 4;
        Low = C == 0xF0 ? 0x90 : 0x80;
        High = C == 0xF4 ? 0x8F : 0xBF;
      } else
        return false;
      if (I + Length > S.size())
        return false;
      for (size_t K = 1; K < Length; ++K) {
        unsigned char Next = Byte(I + K);
        if (K == 1 ? (Next < Low || Next > High) : (Next & 0xC0) != 0x80)
          return false;
      }
      I += Length;
    }
    return true;
  }

  std::string parseString() {
    TextPosition Start = Here;
    expect('"', "'\"'");
    std::string Out;
    while (true) {
      if (atEnd()) {
        Here = Start;
        error("unterminated string");
      }
      char C = peek();
      if (C == '"') {
        advance();
        if (!validUtf8(Out)) {
          Here = Start;
          error("string is not valid UTF-8");
        }
        return Out;
      }
      if (static_cast<unsigned char>(C) < 0x20)
        error("control character in string");
      if (C != '\\') {
        Out += C;
        advance();
        continue;
      }
      advance();
      char Escape = peek();
      advance();
      switch (Escape) {
      case '"':
      case '\\':
      case '/':
        Out += Escape;
        break;
      case 'b':
        Out += '\b';
        break;
      case 'f':
        Out += '\f';
        break;
      case 'n':
        Out += '\n';
        break;
      case 'r':
        Out += '\r';
        break;
      case 't':
        Out += '\t';
        break;
      case 'u': {
        unsigned CodePoint = parseHex4();
        if (CodePoint >= 0xD800 && CodePoint < 0xDC00 && peek() == '\\') {
          advance();
          expect('u', "'u' of a low surrogate");
          unsigned Low = parseHex4();
          if (Low < 0xDC00 || Low > 0xDFFF)
            error("invalid \\u escape: expected a low surrogate");
          CodePoint = 0x10000 + ((CodePoint - 0xD800) << 10) + (Low - 0xDC00);
        }
        if (CodePoint >= 0xD800 && CodePoint < 0xE000)
          error("invalid \\u escape: unpaired surrogate");
        appendUtf8(Out, CodePoint);
        break;
      }
      default:
        error("invalid escape in string");
      }
    }
  }

  nlohmann::json parseArray(const std::string &Pointer, unsigned Depth) {
    advance(); // [
    nlohmann::json Array = nlohmann::json::array();
    skipSpace();
    if (peek() == ']') {
      advance();
      return Array;
    }
    while (true) {
      skipSpace();
      if (peek() == ']') { // A trailing comma is tolerated.
        advance();
        return Array;
      }
      Array.push_back(
          parseValue(Pointer + "/" + std::to_string(Array.size()), Depth + 1));
      skipSpace();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == ']') {
        advance();
        return Array;
      }
      error("expected ',' or ']' in array");
    }
  }

  nlohmann::json parseObject(const std::string &Pointer, unsigned Depth) {
    advance(); // {
    nlohmann::json Object = nlohmann::json::object();
    while (true) {
      skipSpace();
      if (peek() == '}') {
        advance();
        return Object;
      }
      if (peek() != '"')
        error("expected a quoted key or '}'");
      TextPosition KeyPos = Here;
      std::string Key = parseString();
      if (Object.contains(Key)) {
        Here = KeyPos;
        error("duplicate key '" + Key + "'");
      }
      skipSpace();
      expect(':', "':' after the key");
      skipSpace();
      std::string Child = Pointer + "/" + escapePointerToken(Key);
      Object[Key] = parseValue(Child, Depth + 1);
      Doc.Positions[Child + "#key"] = KeyPos;
      skipSpace();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '}') {
        advance();
        return Object;
      }
      error("expected ',' or '}' in object");
    }
  }
};

} // namespace

JsonDocument parseJsonText(const std::string &Text, const std::string &File) {
  JsonDocument Doc;
  Doc.File = File;
  Parser(Text, Doc).parseDocument();
  return Doc;
}

JsonDocument readJsonFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    throw LocatedError(Path, {0, 0}, "cannot read file");
  std::ostringstream Buffer;
  Buffer << In.rdbuf();
  return parseJsonText(Buffer.str(), Path);
}

} // namespace stallhound
