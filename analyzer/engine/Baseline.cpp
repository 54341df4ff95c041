//===- Baseline.cpp - Known findings to ignore ----------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Baseline.h"

#include "JsonText.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fstream>

namespace stallhound {

namespace {

std::string rootOf(const std::string &BaselinePath) {
  llvm::SmallString<256> P(BaselinePath);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, true);
  return std::string(llvm::sys::path::parent_path(P));
}

std::string relativeTo(const std::string &File, const std::string &Root) {
  if (!Root.empty() && File.size() > Root.size() + 1 &&
      File.compare(0, Root.size(), Root) == 0 && File[Root.size()] == '/')
    return File.substr(Root.size() + 1);
  return File;
}

} // namespace

std::string baselineKey(const Finding &F, const std::string &Root) {
  std::string Key = F.RuleId + "|" + F.HandlerName + "|" + F.Call + "|" +
                    relativeTo(F.Loc.File, Root) + "|";
  for (const ChainStep &Step : F.Chain)
    Key += Step.Function + ">";
  return Key;
}

Baseline Baseline::read(const std::string &Path) {
  JsonDocument Doc = readJsonFile(Path);
  if (!Doc.Root.is_object() || Doc.Root.value("stallhound_baseline", 0) != 1)
    Doc.fail("",
             "not a stallhound baseline (missing \"stallhound_baseline\": 1)");
  const auto &Entries = Doc.Root.value("findings", nlohmann::json::array());
  Baseline B;
  B.Root = rootOf(Path);
  for (size_t I = 0; I < Entries.size(); ++I) {
    if (!Entries[I].is_object() || !Entries[I].contains("key") ||
        !Entries[I]["key"].is_string())
      Doc.fail("/findings/" + std::to_string(I), "expected {\"key\": \"...\"}");
    ++B.Counts[Entries[I]["key"].get<std::string>()];
  }
  return B;
}

void Baseline::write(const std::string &Path, const std::vector<Finding> &F) {
  std::string Root = rootOf(Path);
  nlohmann::json Entries = nlohmann::json::array();
  for (const Finding &Item : F)
    Entries.push_back({{"key", baselineKey(Item, Root)},
                       {"rule", Item.RuleId},
                       {"handler", Item.HandlerName},
                       {"file", relativeTo(Item.Loc.File, Root)}});
  std::ofstream Out(Path);
  Out << nlohmann::json{{"stallhound_baseline", 1}, {"findings", Entries}}.dump(
             2)
      << "\n";
  if (!Out)
    throw LocatedError(Path, {0, 0}, "cannot write the baseline");
}

std::vector<Finding> Baseline::filter(std::vector<Finding> Findings) const {
  std::map<std::string, unsigned> Left = Counts;
  std::vector<Finding> Kept;
  for (Finding &F : Findings) {
    auto It = Left.find(baselineKey(F, Root));
    if (It != Left.end() && It->second > 0) {
      --It->second;
      continue;
    }
    Kept.push_back(std::move(F));
  }
  return Kept;
}

} // namespace stallhound
