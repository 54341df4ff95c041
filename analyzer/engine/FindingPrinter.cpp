//===- FindingPrinter.cpp - Text and JSON output of check -----------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "FindingPrinter.h"

namespace stallhound {

namespace {

std::string where(const SourceLoc &L) {
  if (L.Line == 0)
    return L.File;
  return L.File + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column);
}

struct Palette {
  bool On;
  const char *bold() const { return On ? "\033[1m" : ""; }
  const char *reset() const { return On ? "\033[0m" : ""; }
  const char *level(Severity S) const {
    if (!On)
      return "";
    switch (S) {
    case Severity::Error:
      return "\033[1;31m";
    case Severity::Warning:
      return "\033[1;35m";
    case Severity::Remark:
      return "\033[1;34m";
    }
    return "";
  }
  const char *note() const { return On ? "\033[1;30m" : ""; }
};

} // namespace

std::string formatError(const TuError &E) {
  return where(E.Loc) + ": error: " + E.Message;
}

void printText(std::ostream &OS, const std::vector<Finding> &Findings,
               bool Color) {
  Palette P{Color};
  auto Note = [&](const SourceLoc &L, const std::string &Text) {
    OS << P.bold() << where(L) << ": " << P.reset() << P.note()
       << "note: " << P.reset() << Text << "\n";
  };
  for (const Finding &F : Findings) {
    OS << P.bold() << where(F.Loc) << ": " << P.reset() << P.level(F.R->Level)
       << severityName(F.R->Level) << ": " << P.reset() << P.bold() << F.Message
       << " [stallhound-" << F.RuleId << "]" << P.reset() << "\n";
    for (size_t I = 0; I < F.Chain.size(); ++I) {
      const ChainStep &Step = F.Chain[I];
      bool Last = I + 1 == F.Chain.size();
      if (F.ElidedSteps && I == F.ElidedAfter)
        OS << P.note() << "note: " << P.reset() << "... " << F.ElidedSteps
           << " more calls ...\n";
      if (Last && F.R->Check == CheckKind::CpuLoop)
        Note(Step.Loc, "'" + Step.Function + "' loops here");
      else
        Note(Step.Loc, "'" + Step.Function + "' calls '" + Step.Callee + "'" +
                           (Last ? " here" : ""));
    }
    for (const AlsoSite &A : F.Also)
      Note(A.Loc,
           F.R->Check == CheckKind::CpuLoop
               ? "'" + A.Function + "' also loops here"
               : "'" + A.Function + "' also calls '" + A.Call + "' here");
    if (F.MoreAlso)
      OS << P.note() << "note: " << P.reset() << "... and " << F.MoreAlso
         << " more\n";
    if (F.Related)
      Note(*F.Related, F.RelatedNote);
    if (!F.R->Fix.empty())
      Note(F.Loc, "fix: " + F.R->Fix);
  }
}

nlohmann::json findingToJson(const Finding &F) {
  nlohmann::json Chain = nlohmann::json::array();
  for (const ChainStep &Step : F.Chain)
    Chain.push_back({{"function", Step.Function},
                     {"file", Step.Loc.File},
                     {"line", Step.Loc.Line},
                     {"column", Step.Loc.Column},
                     {"calls", Step.Callee}});
  nlohmann::json J = {
      {"rule", F.RuleId},
      {"category", F.R->Category},
      {"severity", severityName(F.R->Level)},
      {"message", F.Message},
      {"location", toJson(F.Loc)},
      {"handler",
       {{"name", F.HandlerName},
        {"file", F.HandlerLoc.File},
        {"line", F.HandlerLoc.Line}}},
      {"call", F.Call},
      {"chain", std::move(Chain)},
      {"fix", F.R->Fix},
  };
  if (!F.Detail.empty())
    J["detail"] = F.Detail;
  if (F.ElidedSteps)
    J["chain_elided"] = {{"after", F.ElidedAfter}, {"steps", F.ElidedSteps}};
  if (F.MoreAlso)
    J["more_also"] = F.MoreAlso;
  if (F.Related)
    J["related"] = {{"location", toJson(*F.Related)},
                    {"message", F.RelatedNote}};
  if (!F.Also.empty()) {
    nlohmann::json Also = nlohmann::json::array();
    for (const AlsoSite &A : F.Also)
      Also.push_back({{"function", A.Function},
                      {"call", A.Call},
                      {"file", A.Loc.File},
                      {"line", A.Loc.Line},
                      {"column", A.Loc.Column}});
    J["also"] = std::move(Also);
  }
  return J;
}

nlohmann::json findingsToJson(const std::vector<Finding> &Findings,
                              const std::vector<TuError> &Errors,
                              size_t UnitsAnalyzed) {
  nlohmann::json List = nlohmann::json::array();
  for (const Finding &F : Findings)
    List.push_back(findingToJson(F));
  nlohmann::json ErrorList = nlohmann::json::array();
  for (const TuError &E : Errors)
    ErrorList.push_back({{"file", E.Loc.File},
                         {"line", E.Loc.Line},
                         {"column", E.Loc.Column},
                         {"message", E.Message},
                         {"kind", errorKindName(E.What)}});
  return {{"tool", "stallhound"},
          {"kind", "static"},
          {"version", 1},
          {"translation_units", UnitsAnalyzed},
          {"findings", std::move(List)},
          {"errors", std::move(ErrorList)}};
}

} // namespace stallhound
