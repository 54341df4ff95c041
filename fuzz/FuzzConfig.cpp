//===- FuzzConfig.cpp - libFuzzer target: .stallhound.json ----------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Any input must give a configuration or a LocatedError, never a crash. The
// base configuration has real rules, so rule overrides are exercised too.
//
//===----------------------------------------------------------------------===//

#include "Config.h"
#include "JsonText.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

const char *BaseRules = R"({"rules": [
  {"id": "sleep", "category": "sleep", "message": "'{callee}' sleeps",
   "match": [{"function": "usleep"}]},
  {"id": "declared-blocking", "category": "blocking", "message": "m", "match": []},
  {"id": "cpu-loop", "category": "cpu", "check": "cpu-loop", "message": "m",
   "options": {"min_iterations": 10}}
]})";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static stallhound::Config Base = [] {
    stallhound::Config C;
    C.Rules.addText(BaseRules, "base.json");
    return C;
  }();
  std::string Text(reinterpret_cast<const char *>(Data), Size);
  try {
    stallhound::Config C = applyConfigText(Base, Text, ".stallhound.json");
    (void)C.isNonBlocking("usleep");
    (void)C.handlerEntry("uv_timer_start");
  } catch (const stallhound::LocatedError &) {
  }
  return 0;
}
