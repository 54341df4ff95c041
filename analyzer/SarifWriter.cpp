//===- SarifWriter.cpp - Findings as SARIF 2.1.0 (code scanning) ----------===//

#include "SarifWriter.h"

#include "Baseline.h"

#include "llvm/Support/xxhash.h"

#include <cstdio>
#include <map>

namespace stallhound {

namespace {

const char *RootId = "%SRCROOT%";

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

class LocationWriter {
public:
  explicit LocationWriter(std::string Root) : Root(std::move(Root)) {
    if (!this->Root.empty() && this->Root.back() != '/')
      this->Root += '/';
  }

  nlohmann::json artifact(const std::string &File) const {
    if (!Root.empty() && File.compare(0, Root.size(), Root) == 0)
      return {{"uri", percentEncode(File.substr(Root.size()))},
              {"uriBaseId", RootId}};
    return {{"uri", "file://" + percentEncode(File)}};
  }

  nlohmann::json physical(const SourceLoc &L) const {
    nlohmann::json P = {{"artifactLocation", artifact(L.File)}};
    if (L.Line > 0) {
      P["region"] = {{"startLine", L.Line}};
      if (L.Column > 0)
        P["region"]["startColumn"] = L.Column;
    }
    return P;
  }

  nlohmann::json location(const SourceLoc &L,
                          const std::string &Message) const {
    nlohmann::json J = {{"physicalLocation", physical(L)}};
    if (!Message.empty())
      J["message"] = {{"text", Message}};
    return J;
  }

  const std::string &root() const { return Root; }

private:
  std::string Root;
};

nlohmann::json ruleDescriptor(const Rule &R) {
  std::string Help = R.Summary.empty() ? R.Message : R.Summary;
  if (!R.Fix.empty())
    Help += ". Fix: " + R.Fix;
  nlohmann::json D = {
      {"id", R.Id},
      {"shortDescription", {{"text", R.Summary.empty() ? R.Id : R.Summary}}},
      {"fullDescription",
       {{"text", R.Summary.empty() ? R.Message : R.Summary}}},
      {"help", {{"text", Help}}},
      {"defaultConfiguration", {{"level", sarifLevel(R.Level)}}},
      {"properties",
       {{"category", R.Category}, {"tags", {"event-loop", R.Category}}}},
  };
  return D;
}

nlohmann::json codeFlow(const Finding &F, const LocationWriter &W) {
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

nlohmann::json findingsToSarif(const std::vector<Finding> &Findings,
                               const std::vector<TuError> &Errors,
                               const RuleSet &Rules,
                               const std::string &SourceRoot,
                               const std::string &ToolVersion) {
  LocationWriter W(SourceRoot);
  nlohmann::json Descriptors = nlohmann::json::array();
  std::map<std::string, size_t> RuleIndex;
  for (const Rule &R : Rules.rules()) {
    RuleIndex[R.Id] = Descriptors.size();
    Descriptors.push_back(ruleDescriptor(R));
  }

  nlohmann::json Results = nlohmann::json::array();
  for (const Finding &F : Findings) {
    nlohmann::json Result = {
        {"ruleId", F.RuleId},
        {"level", sarifLevel(F.R->Level)},
        {"message",
         {{"text",
           F.Message + (F.R->Fix.empty() ? "" : ". Fix: " + F.R->Fix)}}},
        {"locations", {W.location(F.Loc, "")}},
    };
    if (auto It = RuleIndex.find(F.RuleId); It != RuleIndex.end())
      Result["ruleIndex"] = It->second;
    char Hash[17];
    std::snprintf(Hash, sizeof Hash, "%016llx",
                  static_cast<unsigned long long>(
                      llvm::xxh3_64bits(baselineKey(F, SourceRoot))));
    Result["partialFingerprints"] = {{"stallhoundKey/v1", Hash}};
    if (!F.Chain.empty())
      Result["codeFlows"] = {codeFlow(F, W)};
    nlohmann::json Related = nlohmann::json::array();
    if (F.Related)
      Related.push_back(W.location(*F.Related, F.RelatedNote));
    for (const AlsoSite &A : F.Also)
      Related.push_back(W.location(A.Loc, "'" + A.Function + "' also calls '" +
                                              A.Call + "'"));
    for (size_t I = 0; I < Related.size(); ++I)
      Related[I]["id"] = I;
    if (!Related.empty())
      Result["relatedLocations"] = std::move(Related);
    Result["properties"] = {{"handler", F.HandlerName}, {"call", F.Call}};
    Results.push_back(std::move(Result));
  }

  nlohmann::json Notifications = nlohmann::json::array();
  for (const TuError &E : Errors)
    Notifications.push_back({{"level", "error"},
                             {"message", {{"text", E.Message}}},
                             {"locations", {W.location(E.Loc, "")}}});

  nlohmann::json Run = {
      {"tool",
       {{"driver",
         {{"name", "stallhound"},
          {"version", ToolVersion},
          {"semanticVersion", ToolVersion},
          {"rules", std::move(Descriptors)}}}}},
      {"results", std::move(Results)},
      {"invocations",
       {{{"executionSuccessful", Errors.empty()},
         {"toolExecutionNotifications", std::move(Notifications)}}}},
      {"columnKind", "unicodeCodePoints"},
  };
  if (!W.root().empty())
    Run["originalUriBaseIds"] = {
        {RootId, {{"uri", "file://" + percentEncode(W.root())}}}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", {std::move(Run)}}};
}

} // namespace stallhound
