//===- FuzzReport.cpp - libFuzzer target: reports and stallhound report ---===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// stallhound report reads static and runtime reports that may be damaged or
// hostile: reading one must give inputs or a LocatedError, and merging,
// correlating and rendering whatever was read in every format must not
// crash. The input is read twice, as if two processes had written it.
//
//===----------------------------------------------------------------------===//

#include "Correlation.h"
#include "Gating.h"
#include "HtmlRenderer.h"
#include "JsonRenderer.h"
#include "JsonText.h"
#include "Merge.h"
#include "ReportReader.h"
#include "ReportView.h"
#include "RuleCatalog.h"
#include "SarifRenderer.h"
#include "TextRenderer.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  using namespace stallhound::report;
  std::string Text(reinterpret_cast<const char *>(Data), Size);
  RuleCatalog Rules;
  ReportInputs Inputs;
  try {
    readReportText(Text, "/nonexistent/a.json", Rules, Inputs);
    readReportText(Text, "/nonexistent/b.json", Rules, Inputs);
  } catch (const stallhound::LocatedError &) {
    return 0;
  }
  Report Merged = mergeInputs(std::move(Inputs));
  dropShortRuntimeFindings(Merged, 1.0);
  correlate(Merged);
  Gate G({"warning", "runtime/stall"});
  ReportView View(Merged, Rules, G, {"/src", "0", 1.0, 0, {"warning"}});
  std::ostringstream Out;
  renderText(Out, View, true);
  renderHtml(Out, View);
  Out << renderJson(View).dump(-1, ' ', false,
                               nlohmann::json::error_handler_t::replace)
      << renderSarif(View).dump(-1, ' ', false,
                                nlohmann::json::error_handler_t::replace);
  return 0;
}
