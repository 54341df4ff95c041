//===- RuleSet.cpp - Blocking rules loaded from rules/*.json --------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "RuleSet.h"

#include "JsonText.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>

namespace stallhound {

const char *severityName(Severity S) {
  switch (S) {
  case Severity::Remark:
    return "remark";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "warning";
}

std::optional<Severity> parseSeverity(const std::string &Name) {
  if (Name == "remark")
    return Severity::Remark;
  if (Name == "warning")
    return Severity::Warning;
  if (Name == "error")
    return Severity::Error;
  return std::nullopt;
}

bool propagatesThroughCalls(CheckKind Kind) {
  return Kind == CheckKind::BlockingCall || Kind == CheckKind::CpuLoop;
}

std::string normalizeRuleName(const std::string &Name) {
  std::string Out = Name;
  if (Out.rfind("::", 0) == 0)
    Out.erase(0, 2);
  for (const char *Inline : {"std::__1::", "std::__cxx11::", "std::_V2::"}) {
    size_t At;
    while ((At = Out.find(Inline)) != std::string::npos)
      Out.replace(At, std::string(Inline).size(), "std::");
  }
  return Out;
}

int64_t Rule::intOption(const std::string &Name, int64_t Default) const {
  auto It = Options.find(Name);
  return It != Options.end() && It->is_number_integer() ? It->get<int64_t>()
                                                        : Default;
}

bool Rule::boolOption(const std::string &Name, bool Default) const {
  auto It = Options.find(Name);
  return It != Options.end() && It->is_boolean() ? It->get<bool>() : Default;
}

std::vector<std::string> Rule::stringListOption(const std::string &Name) const {
  std::vector<std::string> Out;
  auto It = Options.find(Name);
  if (It != Options.end() && It->is_array())
    for (const auto &V : *It)
      if (V.is_string())
        Out.push_back(normalizeRuleName(V.get<std::string>()));
  return Out;
}

namespace {

/// Validates one JSON value of a rules document, reporting errors with the
/// position of the offending value.
class RuleReader {
public:
  explicit RuleReader(const JsonDocument &Doc) : Doc(Doc) {}

  Rule readRule(const nlohmann::json &V, const std::string &Ptr) {
    requireObject(V, Ptr, "a rule");
    allowOnlyKeys(V, Ptr,
                  {"id", "category", "severity", "check", "summary", "message",
                   "fix", "options", "match", "language"});
    Rule R;
    R.DefinedIn = Doc.File;
    R.Language = optionalString(V, Ptr, "language");
    if (!R.Language.empty() && R.Language != "c++" && R.Language != "python")
      Doc.fail(Ptr + "/language", "language must be \"c++\" or \"python\"");
    R.Id = requiredString(V, Ptr, "id");
    if (R.Id.empty() || R.Id.find_first_of(" \t[]") != std::string::npos)
      Doc.fail(Ptr + "/id", "rule id must be a non-empty word");
    R.Category = requiredString(V, Ptr, "category");
    R.Message = requiredString(V, Ptr, "message");
    R.Fix = optionalString(V, Ptr, "fix");
    R.Summary = optionalString(V, Ptr, "summary");
    std::string Level = optionalString(V, Ptr, "severity");
    if (!Level.empty()) {
      auto S = parseSeverity(Level);
      if (!S)
        Doc.fail(Ptr + "/severity",
                 "severity must be \"remark\", \"warning\" or \"error\"");
      R.Level = *S;
    }
    R.Check = readCheck(V, Ptr);
    if (V.contains("options")) {
      requireObject(V["options"], Ptr + "/options", "\"options\"");
      R.Options = V["options"];
    }
    if (V.contains("match")) {
      if (R.Check != CheckKind::BlockingCall)
        Doc.fail(Ptr + "/match#key",
                 "\"match\" is only allowed with \"check\": \"blocking-call\"");
      const auto &Match = V["match"];
      if (!Match.is_array())
        Doc.fail(Ptr + "/match", "\"match\" must be an array");
      for (size_t I = 0; I < Match.size(); ++I)
        R.Patterns.push_back(
            readPattern(Match[I], Ptr + "/match/" + std::to_string(I)));
    } else if (R.Check == CheckKind::BlockingCall) {
      Doc.fail(Ptr, "a blocking-call rule needs a \"match\" list");
    }
    return R;
  }

private:
  const JsonDocument &Doc;

  void requireObject(const nlohmann::json &V, const std::string &Ptr,
                     const std::string &What) {
    if (!V.is_object())
      Doc.fail(Ptr, What + " must be a JSON object");
  }

  void allowOnlyKeys(const nlohmann::json &V, const std::string &Ptr,
                     std::initializer_list<const char *> Keys) {
    for (const auto &Item : V.items()) {
      bool Known = std::any_of(Keys.begin(), Keys.end(),
                               [&](const char *K) { return Item.key() == K; });
      if (!Known) {
        std::string Expected;
        for (const char *K : Keys)
          Expected += std::string(Expected.empty() ? "" : ", ") + K;
        Doc.fail(Ptr + "/" + Item.key() + "#key",
                 "unknown key '" + Item.key() +
                     "' (expected one of: " + Expected + ")");
      }
    }
  }

  std::string requiredString(const nlohmann::json &V, const std::string &Ptr,
                             const char *Key) {
    if (!V.contains(Key))
      Doc.fail(Ptr, std::string("missing required key '") + Key + "'");
    return optionalString(V, Ptr, Key);
  }

  std::string optionalString(const nlohmann::json &V, const std::string &Ptr,
                             const char *Key) {
    auto It = V.find(Key);
    if (It == V.end())
      return "";
    if (!It->is_string())
      Doc.fail(Ptr + "/" + Key, std::string("'") + Key + "' must be a string");
    return It->get<std::string>();
  }

  unsigned index(const nlohmann::json &V, const std::string &Ptr,
                 const char *Key) {
    const auto &N = V[Key];
    if (!N.is_number_integer() || N.get<int64_t>() < 0 || N.get<int64_t>() > 16)
      Doc.fail(Ptr + "/" + Key,
               std::string("'") + Key + "' must be an argument index (0-16)");
    return N.get<unsigned>();
  }

  std::vector<std::string> stringList(const nlohmann::json &V,
                                      const std::string &Ptr, const char *Key) {
    std::vector<std::string> Out;
    const auto &L = V[Key];
    if (!L.is_array())
      Doc.fail(Ptr + "/" + Key,
               std::string("'") + Key + "' must be an array of strings");
    for (size_t I = 0; I < L.size(); ++I) {
      if (!L[I].is_string())
        Doc.fail(Ptr + "/" + Key + "/" + std::to_string(I),
                 "expected a string");
      Out.push_back(normalizeRuleName(L[I].get<std::string>()));
    }
    return Out;
  }

  CheckKind readCheck(const nlohmann::json &V, const std::string &Ptr) {
    std::string Check = optionalString(V, Ptr, "check");
    if (Check.empty() || Check == "blocking-call")
      return CheckKind::BlockingCall;
    if (Check == "cpu-loop")
      return CheckKind::CpuLoop;
    if (Check == "lock-across-await")
      return CheckKind::LockAcrossAwait;
    if (Check == "discarded-task")
      return CheckKind::DiscardedTask;
    if (Check == "gil-held")
      return CheckKind::GilHeld;
    Doc.fail(Ptr + "/check",
             "unknown check '" + Check +
                 "' (expected blocking-call, cpu-loop, lock-across-await, "
                 "discarded-task or gil-held)");
  }

public:
  CallPattern readPattern(const nlohmann::json &V, const std::string &Ptr) {
    requireObject(V, Ptr, "a match entry");
    allowOnlyKeys(V, Ptr,
                  {"function", "constructor", "min_args", "receiver",
                   "unless_arg_type", "unless_zero_arg", "unless_flags",
                   "fd_arg", "on_socket", "object_arg"});
    CallPattern P;
    bool HasFunction = V.contains("function");
    if (HasFunction == V.contains("constructor"))
      Doc.fail(Ptr, "a match entry needs exactly one of 'function' or "
                    "'constructor'");
    P.IsConstructor = !HasFunction;
    P.Name = normalizeRuleName(
        requiredString(V, Ptr, HasFunction ? "function" : "constructor"));
    // "Class::*" (C++) or "module.Class.*" (Python): any member.
    for (const char *Any : {"::*", ".*"}) {
      llvm::StringRef Name(P.Name);
      if (Name.size() > std::strlen(Any) && Name.ends_with(Any)) {
        P.AnyMember = true;
        P.Name.resize(P.Name.size() - std::strlen(Any));
        P.MemberSeparator = std::string(Any, std::strlen(Any) - 1);
        break;
      }
    }
    if (P.Name.empty() || P.Name.find('*') != std::string::npos)
      Doc.fail(Ptr + (HasFunction ? "/function" : "/constructor"),
               "expected a qualified name, optionally ending in '::*' or "
               "'.*'");
    if (V.contains("min_args"))
      P.MinArgs = index(V, Ptr, "min_args");
    if (V.contains("receiver"))
      P.Receiver = stringList(V, Ptr, "receiver");
    if (V.contains("unless_arg_type"))
      P.UnlessArgType = stringList(V, Ptr, "unless_arg_type");
    if (V.contains("unless_zero_arg"))
      P.UnlessZeroArg = index(V, Ptr, "unless_zero_arg");
    if (V.contains("unless_flags")) {
      const auto &F = V["unless_flags"];
      std::string FPtr = Ptr + "/unless_flags";
      requireObject(F, FPtr, "'unless_flags'");
      allowOnlyKeys(F, FPtr, {"arg", "any_of"});
      if (!F.contains("arg") || !F.contains("any_of"))
        Doc.fail(FPtr, "'unless_flags' needs 'arg' and 'any_of'");
      P.UnlessFlagsArg = index(F, FPtr, "arg");
      P.UnlessFlags = stringList(F, FPtr, "any_of");
    }
    if (V.contains("fd_arg"))
      P.FdArg = index(V, Ptr, "fd_arg");
    if (V.contains("object_arg"))
      P.ObjectArg = index(V, Ptr, "object_arg");
    P.OnSocket = optionalString(V, Ptr, "on_socket");
    return P;
  }
};

} // namespace

CallPattern readCallPattern(const JsonDocument &Doc, const nlohmann::json &V,
                            const std::string &Pointer) {
  return RuleReader(Doc).readPattern(V, Pointer);
}

RuleSet::RuleSet(const RuleSet &Other)
    : Rules(Other.Rules), Fingerprint(Other.Fingerprint) {
  reindex();
}

RuleSet &RuleSet::operator=(const RuleSet &Other) {
  Rules = Other.Rules;
  Fingerprint = Other.Fingerprint;
  reindex();
  return *this;
}

bool RuleSet::disable(const std::string &Id) {
  auto It = std::find_if(Rules.begin(), Rules.end(),
                         [&](const Rule &R) { return R.Id == Id; });
  if (It == Rules.end())
    return false;
  Rules.erase(It);
  reindex();
  return true;
}

bool RuleSet::setSeverity(const std::string &Id, Severity Level) {
  for (Rule &R : Rules)
    if (R.Id == Id) {
      R.Level = Level;
      return true;
    }
  return false;
}

bool RuleSet::mergeOptions(const std::string &Id,
                           const nlohmann::json &Options) {
  for (Rule &R : Rules)
    if (R.Id == Id) {
      R.Options.update(Options);
      return true;
    }
  return false;
}

bool RuleSet::addPattern(const std::string &Id, CallPattern Pattern) {
  for (Rule &R : Rules)
    if (R.Id == Id) {
      R.Patterns.push_back(std::move(Pattern));
      reindex();
      return true;
    }
  return false;
}

void RuleSet::addDirectory(const std::string &Dir) {
  std::vector<std::string> Files;
  std::error_code EC;
  for (const auto &Entry : std::filesystem::directory_iterator(Dir, EC))
    if (Entry.path().extension() == ".json" &&
        !llvm::StringRef(Entry.path().filename().string())
             .ends_with(".stallhound.json"))
      Files.push_back(Entry.path().string());
  if (EC)
    throw LocatedError(Dir, {0, 0}, "cannot read rules directory");
  if (Files.empty())
    throw LocatedError(Dir, {0, 0},
                       "the rules directory holds no rules (*.json files)");
  std::sort(Files.begin(), Files.end());
  for (const auto &F : Files)
    addFile(F);
}

void RuleSet::addFile(const std::string &Path) {
  addDocument(readJsonFile(Path));
}

void RuleSet::addText(const std::string &Text, const std::string &Name) {
  addDocument(parseJsonText(Text, Name));
}

void RuleSet::addDocument(const JsonDocument &Doc) {
  Fingerprint += Doc.Root.dump();
  RuleReader Reader(Doc);
  std::vector<Rule> Read;
  if (Doc.Root.is_object() && Doc.Root.contains("rules")) {
    if (Doc.Root.size() != 1)
      Doc.fail("", "a rules list file holds only the key \"rules\"");
    const auto &List = Doc.Root["rules"];
    if (!List.is_array())
      Doc.fail("/rules", "\"rules\" must be an array");
    for (size_t I = 0; I < List.size(); ++I)
      Read.push_back(Reader.readRule(List[I], "/rules/" + std::to_string(I)));
  } else {
    Read.push_back(Reader.readRule(Doc.Root, ""));
  }
  std::set<std::string> SeenInFile;
  for (size_t I = 0; I < Read.size(); ++I) {
    if (!SeenInFile.insert(Read[I].Id).second)
      Doc.fail(Read.size() == 1 ? "/id" : "/rules/" + std::to_string(I) + "/id",
               "rule id '" + Read[I].Id + "' is defined twice in this file");
  }
  for (auto &R : Read) {
    auto Existing =
        std::find_if(Rules.begin(), Rules.end(),
                     [&](const Rule &Old) { return Old.Id == R.Id; });
    if (Existing != Rules.end())
      *Existing = std::move(R);
    else
      Rules.push_back(std::move(R));
  }
  reindex();
}

void RuleSet::reindex() {
  ByName.clear();
  AnyMemberPatterns.clear();
  for (const Rule &R : Rules)
    for (const CallPattern &P : R.Patterns) {
      if (P.AnyMember)
        AnyMemberPatterns.push_back({&R, &P});
      else
        ByName[P.Name].push_back({&R, &P});
    }
}

const Rule *RuleSet::find(const std::string &Id) const {
  for (const Rule &R : Rules)
    if (R.Id == Id)
      return &R;
  return nullptr;
}

const Rule *RuleSet::findByCheck(CheckKind Kind) const {
  for (const Rule &R : Rules)
    if (R.Check == Kind)
      return &R;
  return nullptr;
}

std::vector<PatternRef> RuleSet::callPatterns(const std::string &QualifiedName,
                                              bool IsConstructor) const {
  std::vector<PatternRef> Out;
  auto It = ByName.find(QualifiedName);
  if (It != ByName.end())
    for (const PatternRef &Ref : It->second)
      if (Ref.P->IsConstructor == IsConstructor)
        Out.push_back(Ref);
  if (!IsConstructor) {
    for (const PatternRef &Ref : AnyMemberPatterns) {
      const std::string &Class = Ref.P->Name;
      const std::string &Sep = Ref.P->MemberSeparator;
      size_t Member = Class.size() + Sep.size();
      if (QualifiedName.size() > Member &&
          QualifiedName.compare(0, Class.size(), Class) == 0 &&
          QualifiedName.compare(Class.size(), Sep.size(), Sep) == 0 &&
          QualifiedName.find(Sep, Member) == std::string::npos)
        Out.push_back(Ref);
    }
  }
  return Out;
}

} // namespace stallhound
