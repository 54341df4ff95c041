//===- FuzzFacts.cpp - libFuzzer target: facts files and the merge --------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Facts come from disk (--facts, the cache) and may be damaged: reading them
// must give facts or a runtime_error, and merging whatever was read must not
// crash, whatever the call graph looks like (cycles, dangling ids).
//
//===----------------------------------------------------------------------===//

#include "Facts.h"
#include "Findings.h"
#include "RuleSet.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static stallhound::RuleSet Rules = [] {
    stallhound::RuleSet R;
    R.addText(R"({"rules": [
      {"id": "sleep", "category": "sleep", "message": "m", "match": [{"function": "usleep"}]},
      {"id": "cpu-loop", "category": "cpu", "check": "cpu-loop", "message": "m"},
      {"id": "discarded-task", "category": "c", "check": "discarded-task", "message": "m"},
      {"id": "gil-held", "category": "gil", "check": "gil-held", "message": "m"}
    ]})",
              "rules.json");
    return R;
  }();
  nlohmann::json J = nlohmann::json::parse(Data, Data + Size, nullptr,
                                           /*allow_exceptions=*/false);
  if (J.is_discarded())
    return 0;
  try {
    std::vector<stallhound::TuFacts> Units = {stallhound::tuFactsFromJson(J)};
    (void)stallhound::buildFindings(Units, Rules);
  } catch (const std::runtime_error &) {
  }
  return 0;
}
