//===- Facts.cpp - JSON form of phase-1 facts -----------------------------===//

#include "Facts.h"

#include <algorithm>
#include <stdexcept>

namespace stallhound {

void FunctionFacts::mergeFrom(const FunctionFacts &Other) {
  IsCoroutine |= Other.IsCoroutine;
  IsHandler |= Other.IsHandler;
  if (Loc.File.empty())
    Loc = Other.Loc;
  for (const Site &S : Other.Sites) {
    bool Known = std::any_of(Sites.begin(), Sites.end(), [&](const Site &Mine) {
      return Mine.Rule == S.Rule && Mine.Loc == S.Loc;
    });
    if (!Known)
      Sites.push_back(S);
  }
  for (const CallEdge &C : Other.Calls) {
    bool Known = std::any_of(Calls.begin(), Calls.end(), [&](const CallEdge &E) {
      return E.Callee == C.Callee && E.Loc == C.Loc;
    });
    if (!Known)
      Calls.push_back(C);
  }
}

nlohmann::json toJson(const SourceLoc &Loc) {
  return {{"file", Loc.File}, {"line", Loc.Line}, {"column", Loc.Column}};
}

namespace {

SourceLoc locFromJson(const nlohmann::json &J) {
  return {J.at("file").get<std::string>(), J.at("line").get<unsigned>(),
          J.at("column").get<unsigned>()};
}

nlohmann::json siteToJson(const Site &S) {
  nlohmann::json J = {{"rule", S.Rule}, {"call", S.Call}, {"loc", toJson(S.Loc)}};
  if (!S.Detail.empty())
    J["detail"] = S.Detail;
  if (S.Related) {
    J["related"] = toJson(*S.Related);
    J["related_note"] = S.RelatedNote;
  }
  return J;
}

Site siteFromJson(const nlohmann::json &J) {
  Site S;
  S.Rule = J.at("rule").get<std::string>();
  S.Call = J.at("call").get<std::string>();
  S.Loc = locFromJson(J.at("loc"));
  S.Detail = J.value("detail", "");
  if (J.contains("related")) {
    S.Related = locFromJson(J["related"]);
    S.RelatedNote = J.value("related_note", "");
  }
  return S;
}

} // namespace

nlohmann::json toJson(const TuFacts &Facts) {
  nlohmann::json Functions = nlohmann::json::array();
  for (const FunctionFacts &F : Facts.Functions) {
    nlohmann::json Sites = nlohmann::json::array();
    for (const Site &S : F.Sites)
      Sites.push_back(siteToJson(S));
    nlohmann::json Calls = nlohmann::json::array();
    for (const CallEdge &C : F.Calls)
      Calls.push_back({{"callee", C.Callee},
                       {"callee_name", C.CalleeName},
                       {"loc", toJson(C.Loc)}});
    Functions.push_back({{"id", F.Id},
                         {"name", F.Name},
                         {"loc", toJson(F.Loc)},
                         {"coroutine", F.IsCoroutine},
                         {"handler", F.IsHandler},
                         {"sites", std::move(Sites)},
                         {"calls", std::move(Calls)}});
  }
  nlohmann::json Errors = nlohmann::json::array();
  for (const TuError &E : Facts.Errors)
    Errors.push_back({{"loc", toJson(E.Loc)}, {"message", E.Message}});
  return {{"stallhound_facts", FactsFormatVersion},
          {"main_file", Facts.MainFile},
          {"functions", std::move(Functions)},
          {"errors", std::move(Errors)},
          {"libraries", Facts.Libraries}};
}

TuFacts tuFactsFromJson(const nlohmann::json &J) {
  try {
    if (J.value("stallhound_facts", 0) != FactsFormatVersion)
      throw std::runtime_error("not a stallhound facts file of version " +
                               std::to_string(FactsFormatVersion));
    TuFacts Facts;
    Facts.MainFile = J.at("main_file").get<std::string>();
    for (const auto &FJ : J.at("functions")) {
      FunctionFacts F;
      F.Id = FJ.at("id").get<std::string>();
      F.Name = FJ.at("name").get<std::string>();
      F.Loc = locFromJson(FJ.at("loc"));
      F.IsCoroutine = FJ.at("coroutine").get<bool>();
      F.IsHandler = FJ.at("handler").get<bool>();
      for (const auto &SJ : FJ.at("sites"))
        F.Sites.push_back(siteFromJson(SJ));
      for (const auto &CJ : FJ.at("calls"))
        F.Calls.push_back({CJ.at("callee").get<std::string>(),
                           CJ.at("callee_name").get<std::string>(),
                           locFromJson(CJ.at("loc"))});
      Facts.Functions.push_back(std::move(F));
    }
    Facts.Libraries = J.value("libraries", std::vector<std::string>{});
    for (const auto &EJ : J.at("errors"))
      Facts.Errors.push_back(
          {locFromJson(EJ.at("loc")), EJ.at("message").get<std::string>()});
    return Facts;
  } catch (const nlohmann::json::exception &E) {
    throw std::runtime_error(std::string("malformed facts: ") + E.what());
  }
}

} // namespace stallhound
