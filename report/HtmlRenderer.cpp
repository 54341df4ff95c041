//===- HtmlRenderer.cpp - The merged report as one HTML page --------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "HtmlRenderer.h"

#include "HtmlPage.h"
#include "JsonRenderer.h"

namespace stallhound::report {

namespace {

/// JSON that cannot end the script element it sits in: '<', '>' and '&'
/// only occur inside strings, where \u escapes mean the same.
std::string scriptSafeJson(const nlohmann::json &Data) {
  std::string Text =
      Data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string Out;
  Out.reserve(Text.size());
  for (char C : Text) {
    if (C == '<')
      Out += "\\u003c";
    else if (C == '>')
      Out += "\\u003e";
    else if (C == '&')
      Out += "\\u0026";
    else
      Out += C;
  }
  return Out;
}

} // namespace

void renderHtml(std::ostream &OS, const ReportView &View) {
  OS << htmlPageHead() << "<script type=\"application/json\" "
     << "id=\"stallhound-data\">" << scriptSafeJson(renderJson(View))
     << "</script>\n"
     << htmlPageScript();
}

} // namespace stallhound::report
