//===- Facts.cpp - JSON form of phase-1 facts -----------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Facts.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <unordered_set>

namespace stallhound {

void FunctionFacts::mergeFrom(const FunctionFacts &Other) {
  IsCoroutine |= Other.IsCoroutine;
  IsHandler |= Other.IsHandler;
  IsLoopEntry |= Other.IsLoopEntry;
  IsOffloaded |= Other.IsOffloaded;
  IsGilEntry |= Other.IsGilEntry;
  IsWrapped |= Other.IsWrapped;
  if (Name.empty())
    Name = Other.Name;
  if (Loc.File.empty())
    Loc = Other.Loc;
  if (Symbol.empty())
    Symbol = Other.Symbol;
  auto Key = [](const std::string &What, const SourceLoc &L) {
    return What + "\n" + L.File + ":" + std::to_string(L.Line) + ":" +
           std::to_string(L.Column);
  };
  std::unordered_set<std::string> Known;
  for (const Site &S : Sites)
    Known.insert(Key(S.Rule, S.Loc));
  for (const Site &S : Other.Sites)
    if (Known.insert(Key(S.Rule, S.Loc)).second)
      Sites.push_back(S);
  Known.clear();
  for (const CallEdge &C : Calls)
    Known.insert(Key(C.CalleeSymbol + C.Callee, C.Loc));
  for (const CallEdge &C : Other.Calls)
    if (Known.insert(Key(C.CalleeSymbol + C.Callee, C.Loc)).second)
      Calls.push_back(C);
}

const char *errorKindName(TuError::Kind K) {
  switch (K) {
  case TuError::Kind::Parse:
    return "parse";
  case TuError::Kind::Crash:
    return "crash";
  case TuError::Kind::Setup:
    return "setup";
  }
  return "parse";
}

std::optional<TuError::Kind> parseErrorKind(const std::string &Name) {
  for (auto K :
       {TuError::Kind::Parse, TuError::Kind::Crash, TuError::Kind::Setup})
    if (Name == errorKindName(K))
      return K;
  return std::nullopt;
}

nlohmann::json toJson(const SourceLoc &Loc) {
  return {{"file", Loc.File}, {"line", Loc.Line}, {"column", Loc.Column}};
}

namespace {

/// Reads typed fields and names the JSON pointer of whatever is malformed.
class FieldReader {
public:
  template <typename T>
  static T get(const nlohmann::json &J, const std::string &Where,
               const char *Key) {
    auto It = J.find(Key);
    if (It == J.end())
      throw std::runtime_error(Where + "/" + Key + " is missing");
    // nlohmann converts any number to any arithmetic type, even where the
    // value does not fit (found by fuzzing): counts must be integers in range.
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      if (!It->is_number_integer() ||
          (It->is_number_unsigned()
               ? It->template get<uint64_t>() >
                     uint64_t(std::numeric_limits<T>::max())
               : It->template get<int64_t>() < 0 ||
                     uint64_t(It->template get<int64_t>()) >
                         uint64_t(std::numeric_limits<T>::max())))
        throw std::runtime_error(Where + "/" + Key +
                                 " must be a whole number in range");
    }
    try {
      return It->get<T>();
    } catch (const nlohmann::json::exception &) {
      throw std::runtime_error(Where + "/" + Key + " has the wrong type (" +
                               It->type_name() + ")");
    }
  }

  static const nlohmann::json &
  array(const nlohmann::json &J, const std::string &Where, const char *Key) {
    auto It = J.find(Key);
    if (It == J.end() || !It->is_array())
      throw std::runtime_error(Where + "/" + Key + " must be an array");
    return *It;
  }
};

SourceLoc locFromJson(const nlohmann::json &J, const std::string &Where) {
  return {FieldReader::get<std::string>(J, Where, "file"),
          FieldReader::get<unsigned>(J, Where, "line"),
          FieldReader::get<unsigned>(J, Where, "column")};
}

nlohmann::json siteToJson(const Site &S) {
  nlohmann::json J = {
      {"rule", S.Rule}, {"call", S.Call}, {"loc", toJson(S.Loc)}};
  if (!S.Detail.empty())
    J["detail"] = S.Detail;
  if (S.Related) {
    J["related"] = toJson(*S.Related);
    J["related_note"] = S.RelatedNote;
  }
  if (S.GilReleased)
    J["gil_released"] = true;
  if (!S.FdMember.empty())
    J["fd_member"] = S.FdMember;
  if (!S.Object.empty())
    J["object"] = S.Object;
  if (S.AfterSuspend)
    J["after_suspend"] = true;
  return J;
}

Site siteFromJson(const nlohmann::json &J, const std::string &Where) {
  using R = FieldReader;
  Site S;
  S.Rule = R::get<std::string>(J, Where, "rule");
  S.Call = R::get<std::string>(J, Where, "call");
  S.Loc = locFromJson(J.value("loc", nlohmann::json::object()), Where + "/loc");
  S.Detail =
      J.contains("detail") ? R::get<std::string>(J, Where, "detail") : "";
  if (J.contains("related")) {
    S.Related = locFromJson(J["related"], Where + "/related");
    S.RelatedNote = R::get<std::string>(J, Where, "related_note");
  }
  S.GilReleased =
      J.contains("gil_released") && R::get<bool>(J, Where, "gil_released");
  if (J.contains("fd_member"))
    S.FdMember = R::get<std::string>(J, Where, "fd_member");
  if (J.contains("object"))
    S.Object = R::get<std::string>(J, Where, "object");
  S.AfterSuspend =
      J.contains("after_suspend") && R::get<bool>(J, Where, "after_suspend");
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
    for (const CallEdge &C : F.Calls) {
      nlohmann::json Call = {{"callee", C.Callee},
                             {"callee_symbol", C.CalleeSymbol},
                             {"callee_name", C.CalleeName},
                             {"loc", toJson(C.Loc)}};
      if (C.GilReleased)
        Call["gil_released"] = true;
      if (C.Start == CallStart::Awaited)
        Call["start"] = "awaited";
      else if (C.Start == CallStart::RunHere)
        Call["start"] = "run-here";
      if (C.AfterSuspend)
        Call["after_suspend"] = true;
      if (C.Discarded)
        Call["discarded"] = true;
      Calls.push_back(std::move(Call));
    }
    nlohmann::json Function = {{"id", F.Id},
                               {"symbol", F.Symbol},
                               {"name", F.Name},
                               {"loc", toJson(F.Loc)},
                               {"coroutine", F.IsCoroutine},
                               {"handler", F.IsHandler},
                               {"sites", std::move(Sites)},
                               {"calls", std::move(Calls)}};
    if (F.IsLoopEntry)
      Function["loop_entry"] = true;
    if (F.IsOffloaded)
      Function["offloaded"] = true;
    if (F.IsGilEntry)
      Function["gil_entry"] = true;
    if (F.IsWrapped)
      Function["wrapped"] = true;
    Functions.push_back(std::move(Function));
  }
  nlohmann::json Errors = nlohmann::json::array();
  for (const TuError &E : Facts.Errors)
    Errors.push_back({{"loc", toJson(E.Loc)},
                      {"message", E.Message},
                      {"kind", errorKindName(E.What)}});
  nlohmann::json Out = {{"stallhound_facts", FactsFormatVersion},
                        {"main_file", Facts.MainFile},
                        {"language", Facts.Language},
                        {"link_unit", Facts.LinkUnit},
                        {"functions", std::move(Functions)},
                        {"errors", std::move(Errors)},
                        {"libraries", Facts.Libraries},
                        {"nonblocking_members", Facts.NonBlockingMembers}};
  if (!Facts.Aliases.empty()) {
    nlohmann::json Aliases = nlohmann::json::array();
    for (const SymbolAlias &A : Facts.Aliases)
      Aliases.push_back({{"name", A.Name}, {"target", A.Target}});
    Out["aliases"] = std::move(Aliases);
  }
  return Out;
}

TuFacts tuFactsFromJson(const nlohmann::json &J) {
  using R = FieldReader;
  if (!J.is_object() || !J.contains("stallhound_facts") ||
      J["stallhound_facts"] != FactsFormatVersion)
    throw std::runtime_error("not a stallhound facts file of version " +
                             std::to_string(FactsFormatVersion));
  TuFacts Facts;
  Facts.MainFile = R::get<std::string>(J, "", "main_file");
  if (J.contains("link_unit"))
    Facts.LinkUnit = R::get<std::string>(J, "", "link_unit");
  if (J.contains("language")) {
    Facts.Language = R::get<std::string>(J, "", "language");
    if (Facts.Language != "c++" && Facts.Language != "python")
      throw std::runtime_error("/language is not c++ or python");
  }
  if (J.contains("aliases")) {
    const auto &Aliases = R::array(J, "", "aliases");
    for (size_t I = 0; I < Aliases.size(); ++I) {
      std::string Where = "/aliases/" + std::to_string(I);
      Facts.Aliases.push_back(
          {R::get<std::string>(Aliases[I], Where, "name"),
           R::get<std::string>(Aliases[I], Where, "target")});
    }
  }
  const auto &Functions = R::array(J, "", "functions");
  for (size_t I = 0; I < Functions.size(); ++I) {
    const auto &FJ = Functions[I];
    std::string Where = "/functions/" + std::to_string(I);
    FunctionFacts F;
    F.Id = R::get<std::string>(FJ, Where, "id");
    F.Symbol = R::get<std::string>(FJ, Where, "symbol");
    if (F.Id.empty() && F.Symbol.empty())
      throw std::runtime_error(Where + " has neither an id nor a symbol");
    F.Name = R::get<std::string>(FJ, Where, "name");
    F.Loc =
        locFromJson(FJ.value("loc", nlohmann::json::object()), Where + "/loc");
    F.IsCoroutine = R::get<bool>(FJ, Where, "coroutine");
    F.IsHandler = R::get<bool>(FJ, Where, "handler");
    const auto &Sites = R::array(FJ, Where, "sites");
    for (size_t K = 0; K < Sites.size(); ++K)
      F.Sites.push_back(
          siteFromJson(Sites[K], Where + "/sites/" + std::to_string(K)));
    const auto &Calls = R::array(FJ, Where, "calls");
    for (size_t K = 0; K < Calls.size(); ++K) {
      std::string CallWhere = Where + "/calls/" + std::to_string(K);
      CallEdge Edge{R::get<std::string>(Calls[K], CallWhere, "callee"),
                    R::get<std::string>(Calls[K], CallWhere, "callee_symbol"),
                    R::get<std::string>(Calls[K], CallWhere, "callee_name"),
                    locFromJson(Calls[K].value("loc", nlohmann::json::object()),
                                CallWhere + "/loc")};
      Edge.GilReleased = Calls[K].contains("gil_released") &&
                         R::get<bool>(Calls[K], CallWhere, "gil_released");
      if (Calls[K].contains("start")) {
        std::string Start = R::get<std::string>(Calls[K], CallWhere, "start");
        if (Start == "awaited")
          Edge.Start = CallStart::Awaited;
        else if (Start == "run-here")
          Edge.Start = CallStart::RunHere;
        else
          throw std::runtime_error(CallWhere +
                                   "/start is not awaited or run-here");
      }
      Edge.AfterSuspend = Calls[K].contains("after_suspend") &&
                          R::get<bool>(Calls[K], CallWhere, "after_suspend");
      Edge.Discarded = Calls[K].contains("discarded") &&
                       R::get<bool>(Calls[K], CallWhere, "discarded");
      F.Calls.push_back(std::move(Edge));
    }
    auto Flag = [&](const char *Key) {
      return FJ.contains(Key) && R::get<bool>(FJ, Where, Key);
    };
    F.IsLoopEntry = Flag("loop_entry");
    F.IsOffloaded = Flag("offloaded");
    F.IsGilEntry = Flag("gil_entry");
    F.IsWrapped = Flag("wrapped");
    Facts.Functions.push_back(std::move(F));
  }
  const auto &Errors = R::array(J, "", "errors");
  for (size_t I = 0; I < Errors.size(); ++I) {
    std::string Where = "/errors/" + std::to_string(I);
    TuError E{locFromJson(Errors[I].value("loc", nlohmann::json::object()),
                          Where + "/loc"),
              R::get<std::string>(Errors[I], Where, "message")};
    if (Errors[I].contains("kind")) {
      auto Kind = parseErrorKind(R::get<std::string>(Errors[I], Where, "kind"));
      if (!Kind)
        throw std::runtime_error(Where + "/kind is not parse, crash or setup");
      E.What = *Kind;
    }
    Facts.Errors.push_back(std::move(E));
  }
  if (J.contains("nonblocking_members"))
    Facts.NonBlockingMembers =
        R::get<std::vector<std::string>>(J, "", "nonblocking_members");
  if (J.contains("libraries"))
    Facts.Libraries = R::get<std::vector<std::string>>(J, "", "libraries");
  return Facts;
}

} // namespace stallhound
