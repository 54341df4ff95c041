//===- HtmlRenderer.cpp - The merged report as one HTML page --------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "HtmlRenderer.h"

#include "HtmlPage.h"
#include "JsonRenderer.h"

#include <streambuf>

namespace stallhound::report {

namespace {

/// Writes JSON so that it cannot end the script element it sits in: '<',
/// '>' and '&' only occur inside strings, where \u escapes mean the same.
class ScriptSafeBuffer : public std::streambuf {
public:
  explicit ScriptSafeBuffer(std::ostream &OS) : OS(OS) {}

protected:
  int_type overflow(int_type C) override {
    if (C == traits_type::eof())
      return traits_type::not_eof(C);
    char Byte = traits_type::to_char_type(C);
    put(&Byte, 1);
    return C;
  }
  std::streamsize xsputn(const char *Text, std::streamsize N) override {
    put(Text, N);
    return N;
  }

private:
  std::ostream &OS;

  void put(const char *Text, std::streamsize N) {
    const char *Plain = Text;
    for (const char *P = Text; P != Text + N; ++P) {
      const char *Escape = *P == '<'   ? "\\u003c"
                           : *P == '>' ? "\\u003e"
                           : *P == '&' ? "\\u0026"
                                       : nullptr;
      if (!Escape)
        continue;
      OS.write(Plain, P - Plain);
      OS << Escape;
      Plain = P + 1;
    }
    OS.write(Plain, Text + N - Plain);
  }
};

} // namespace

void renderHtml(std::ostream &OS, const ReportView &View) {
  OS << htmlPageHead() << "<script type=\"application/json\" "
     << "id=\"stallhound-data\">";
  ScriptSafeBuffer Safe(OS);
  std::ostream Data(&Safe);
  writeJson(Data, View, -1);
  OS << "</script>\n" << htmlPageScript();
}

} // namespace stallhound::report
