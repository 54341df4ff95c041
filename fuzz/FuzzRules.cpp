//===- FuzzRules.cpp - libFuzzer target: rules files ----------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Any input must give rules or a LocatedError, never a crash.
//
//===----------------------------------------------------------------------===//

#include "JsonText.h"
#include "RuleSet.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Text(reinterpret_cast<const char *>(Data), Size);
  stallhound::RuleSet Rules;
  try {
    Rules.addText(Text, "fuzz.json");
    for (const stallhound::Rule &R : Rules.rules())
      for (const stallhound::CallPattern &P : R.Patterns)
        (void)Rules.callPatterns(P.Name, P.IsConstructor);
  } catch (const stallhound::LocatedError &) {
  }
  return 0;
}
