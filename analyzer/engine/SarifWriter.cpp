//===- SarifWriter.cpp - Findings as SARIF 2.1.0 (code scanning) ----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "SarifWriter.h"

#include "Baseline.h"
#include "Config.h"

#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <cstdio>

namespace stallhound {

namespace {

const char *RootId = "%SRCROOT%";

std::string percentEncode(const std::string &Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (std::isalnum(C) || C == '/' || C == '-' || C == '_' || C == '.' ||
        C == '~')
      Out += static_cast<char>(C);
    else {
      char Buf[4];
      std::snprintf(Buf, sizeof Buf, "%%%02X", C);
      Out += Buf;
    }
  }
  return Out;
}

nlohmann::json ruleDescriptor(const Rule &R) {
  std::string Description = R.Summary.empty() ? R.Message : R.Summary;
  std::string Help = Description;
  std::string Markdown = Description;
  if (!R.Fix.empty()) {
    Help += ". Fix: " + R.Fix;
    Markdown += ".\n\n**Fix:** " + R.Fix;
  }
  return {
      {"id", R.Id},
      {"shortDescription", {{"text", R.Summary.empty() ? R.Id : R.Summary}}},
      {"fullDescription", {{"text", Description}}},
      {"help", {{"text", Help}, {"markdown", Markdown}}},
      {"defaultConfiguration", {{"level", sarifLevel(R.Level)}}},
      {"properties",
       {{"category", R.Category}, {"tags", {"event-loop", R.Category}}}},
  };
}

nlohmann::json codeFlow(const Finding &F, const SarifLocations &W) {
  nlohmann::json Steps = nlohmann::json::array();
  for (size_t I = 0; I < F.Chain.size(); ++I) {
    const ChainStep &S = F.Chain[I];
    std::string Text =
        I + 1 == F.Chain.size() && F.R->Check == CheckKind::CpuLoop
            ? "'" + S.Function + "' loops here"
            : "'" + S.Function + "' calls '" + S.Callee + "'";
    Steps.push_back(
        {{"location", W.location(S.Loc, Text)}, {"nestingLevel", I}});
  }
  return {{"message",
           {{"text", "call chain from handler '" + F.HandlerName + "'"}}},
          {"threadFlows", {{{"locations", std::move(Steps)}}}}};
}

} // namespace

const char *sarifLevel(Severity S) {
  switch (S) {
  case Severity::Remark:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "warning";
}

SarifLocations::SarifLocations(std::string SourceRoot)
    : Root(std::move(SourceRoot)) {
  if (!Root.empty() && Root.back() != '/')
    Root += '/';
}

nlohmann::json SarifLocations::artifact(const std::string &File) const {
  if (!Root.empty() && File.compare(0, Root.size(), Root) == 0)
    return {{"uri", percentEncode(File.substr(Root.size()))},
            {"uriBaseId", RootId}};
  return {{"uri", "file://" + percentEncode(File)}};
}

nlohmann::json SarifLocations::physical(const SourceLoc &L) const {
  nlohmann::json P = {{"artifactLocation", artifact(L.File)}};
  if (L.Line > 0) {
    P["region"] = {{"startLine", L.Line}};
    if (L.Column > 0)
      P["region"]["startColumn"] = L.Column;
  }
  return P;
}

nlohmann::json SarifLocations::location(const SourceLoc &L,
                                        const std::string &Message) const {
  nlohmann::json J = {{"physicalLocation", physical(L)}};
  if (!Message.empty())
    J["message"] = {{"text", Message}};
  return J;
}

std::string sarifFingerprint(const std::string &Key) {
  char Hash[17];
  std::snprintf(Hash, sizeof Hash, "%016llx",
                static_cast<unsigned long long>(llvm::xxh3_64bits(Key)));
  return Hash;
}

SarifBuilder::SarifBuilder(std::string SourceRoot, std::string ToolVersion)
    : Locations(std::move(SourceRoot)), ToolVersion(std::move(ToolVersion)) {}

void SarifBuilder::addRule(const Rule &R) {
  if (RuleIndex.count(R.Id))
    return;
  RuleIndex[R.Id] = Descriptors.size();
  Descriptors.push_back(ruleDescriptor(R));
}

nlohmann::json &SarifBuilder::addFinding(const Finding &F) {
  const SarifLocations &W = Locations;
  nlohmann::json Result = {
      {"ruleId", sarifRuleId(F)},
      {"level", sarifLevel(F.R->Level)},
      {"message",
       {{"text", F.Message + (F.R->Fix.empty() ? "" : ". Fix: " + F.R->Fix)}}},
      {"locations", {W.location(F.Loc, "")}},
  };
  // The key leaves out line numbers; paths are relative to the root.
  std::string Root =
      W.root().empty() ? "" : W.root().substr(0, W.root().size() - 1);
  Result["partialFingerprints"] = {
      {"stallhoundKey/v1", sarifFingerprint(baselineKey(F, Root))}};
  if (!F.Chain.empty())
    Result["codeFlows"] = {codeFlow(F, W)};
  nlohmann::json Related = nlohmann::json::array();
  if (F.Related)
    Related.push_back(W.location(*F.Related, F.RelatedNote));
  for (const AlsoSite &A : F.Also)
    Related.push_back(
        W.location(A.Loc, "'" + A.Function + "' also calls '" + A.Call + "'"));
  for (size_t I = 0; I < Related.size(); ++I)
    Related[I]["id"] = I;
  if (!Related.empty())
    Result["relatedLocations"] = std::move(Related);
  Result["properties"] = {{"handler", F.HandlerName}, {"call", F.Call}};
  return addResult(std::move(Result));
}

nlohmann::json &SarifBuilder::addResult(nlohmann::json Result) {
  if (auto It = RuleIndex.find(Result.value("ruleId", ""));
      It != RuleIndex.end())
    Result["ruleIndex"] = It->second;
  Results.push_back(std::move(Result));
  return Results.back();
}

void SarifBuilder::addError(const TuError &E) {
  Notifications.push_back({{"level", "error"},
                           {"message", {{"text", E.Message}}},
                           {"locations", {Locations.location(E.Loc, "")}}});
}

nlohmann::json SarifBuilder::build() const {
  nlohmann::json Run = {
      {"tool",
       {{"driver",
         {{"name", "stallhound"},
          {"version", ToolVersion},
          {"semanticVersion", ToolVersion},
          {"rules", Descriptors}}}}},
      {"results", nlohmann::json(Results)},
      {"invocations",
       {{{"executionSuccessful", Notifications.empty()},
         {"toolExecutionNotifications", Notifications}}}},
      {"columnKind", "unicodeCodePoints"},
  };
  if (!Locations.root().empty())
    Run["originalUriBaseIds"] = {
        {RootId, {{"uri", "file://" + percentEncode(Locations.root())}}}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", {std::move(Run)}}};
}

std::string sarifRuleId(const Finding &F) {
  return isPythonSource(F.HandlerLoc.File) ? "python/" + F.RuleId : F.RuleId;
}

nlohmann::json findingsToSarif(const std::vector<Finding> &Findings,
                               const std::vector<TuError> &Errors,
                               const RuleSet &Rules, const RuleSet &PythonRules,
                               const std::string &SourceRoot,
                               const std::string &ToolVersion) {
  SarifBuilder Builder(SourceRoot, ToolVersion);
  for (const Rule &R : Rules.rules())
    Builder.addRule(R);
  bool AnyPython =
      std::any_of(Findings.begin(), Findings.end(), [](const Finding &F) {
        return isPythonSource(F.HandlerLoc.File);
      });
  if (AnyPython)
    for (Rule R : PythonRules.rules()) {
      R.Id = "python/" + R.Id;
      Builder.addRule(R);
    }
  for (const Finding &F : Findings)
    Builder.addFinding(F);
  for (const TuError &E : Errors)
    Builder.addError(E);
  return Builder.build();
}

} // namespace stallhound
