//===- JsonWriter.cpp - JSON written as it is made ------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "JsonWriter.h"

namespace stallhound::report {

namespace {

std::string dump(const nlohmann::json &V, int Indent) {
  // Names from debug information are not checked UTF-8 like the inputs.
  return V.dump(Indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

void JsonWriter::newLine(size_t Level) {
  if (Indent < 0)
    return;
  OS << '\n' << std::string(Level * size_t(Indent), ' ');
}

void JsonWriter::separate() {
  if (AfterKey) {
    AfterKey = false;
    return;
  }
  if (Empty.empty())
    return;
  if (!Empty.back())
    OS << ',';
  Empty.back() = false;
  newLine(Empty.size());
}

void JsonWriter::open(char Bracket) {
  separate();
  OS << Bracket;
  Empty.push_back(true);
}

void JsonWriter::close(char Bracket) {
  bool WasEmpty = Empty.back();
  Empty.pop_back();
  if (!WasEmpty)
    newLine(Empty.size());
  OS << Bracket;
}

void JsonWriter::key(const std::string &Key) {
  separate();
  OS << dump(Key, -1) << (Indent < 0 ? ":" : ": ");
  AfterKey = true;
}

void JsonWriter::value(const nlohmann::json &V) {
  separate();
  std::string Text = dump(V, Indent);
  if (Indent < 0 || Empty.empty()) {
    OS << Text;
    return;
  }
  // Nested lines move right by the depth here (a dumped string holds no raw
  // line break).
  std::string Margin(Empty.size() * size_t(Indent), ' ');
  size_t From = 0;
  for (size_t Break = Text.find('\n'); Break != std::string::npos;
       Break = Text.find('\n', From)) {
    OS.write(Text.data() + From, std::streamsize(Break + 1 - From));
    OS << Margin;
    From = Break + 1;
  }
  OS.write(Text.data() + From, std::streamsize(Text.size() - From));
}

void JsonWriter::object(
    const nlohmann::json &Small,
    const std::map<std::string, std::function<void()>> &Streamed) {
  beginObject();
  auto Next = Streamed.begin();
  for (auto It = Small.begin(); It != Small.end(); ++It) {
    for (; Next != Streamed.end() && Next->first < It.key(); ++Next) {
      key(Next->first);
      Next->second();
    }
    key(It.key());
    value(It.value());
  }
  for (; Next != Streamed.end(); ++Next) {
    key(Next->first);
    Next->second();
  }
  endObject();
}

} // namespace stallhound::report
