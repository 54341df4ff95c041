//===- Config.cpp - .stallhound.json: a project's configuration -----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Config.h"

#include "JsonText.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <algorithm>

namespace stallhound {

namespace {

const char *ConfigName = ".stallhound.json";

class ConfigReader {
public:
  /// A preset has the keys of a configuration but not rules, header_filter
  /// and presets.
  ConfigReader(const JsonDocument &Doc, Config &Out, bool IsPreset = false)
      : Doc(Doc), Out(Out), IsPreset(IsPreset) {}

  void read() {
    const nlohmann::json &Root = Doc.Root;
    if (!Root.is_object())
      Doc.fail("", "a configuration must be a JSON object");
    for (const auto &Item : Root.items()) {
      const std::string &Key = Item.key();
      std::string Ptr = "/" + Key;
      if (IsPreset && Key == "description")
        string(Item.value(), Ptr);
      else if (IsPreset &&
               (Key == "rules" || Key == "header_filter" || Key == "presets"))
        Doc.fail(Ptr + "#key", "a preset cannot set '" + Key + "'");
      else if (Key == "rules")
        readRules(Item.value(), Ptr);
      else if (Key == "blocking")
        readBlocking(Item.value(), Ptr);
      else if (Key == "nonblocking")
        for (size_t I = 0; I < array(Item.value(), Ptr).size(); ++I)
          Out.NonBlocking.push_back(normalizeRuleName(
              string(Item.value()[I], Ptr + "/" + std::to_string(I))));
      else if (Key == "handlers")
        readCallables(Item.value(), Ptr, Out.Handlers);
      else if (Key == "offload")
        readCallables(Item.value(), Ptr, Out.Offload);
      else if (Key == "run_in_caller")
        readCallables(Item.value(), Ptr, Out.RunInCaller);
      else if (Key == "header_filter")
        Out.HeaderFilter = regex(Item.value(), Ptr);
      else if (Key == "offload_executors")
        for (size_t I = 0; I < array(Item.value(), Ptr).size(); ++I)
          Out.OffloadExecutors.push_back(normalizeRuleName(
              string(Item.value()[I], Ptr + "/" + std::to_string(I))));
      else if (Key == "library_headers")
        for (size_t I = 0; I < array(Item.value(), Ptr).size(); ++I)
          Out.LibraryHeaders.push_back(
              regex(Item.value()[I], Ptr + "/" + std::to_string(I)));
      else if (Key == "presets")
        readPresets(Item.value(), Ptr);
      else if (Key == "returns")
        readReturns(Item.value(), Ptr);
      else if (Key == "exclude")
        for (size_t I = 0; I < array(Item.value(), Ptr).size(); ++I)
          Out.Exclude.push_back(
              string(Item.value()[I], Ptr + "/" + std::to_string(I)));
      else
        Doc.fail(
            Ptr + "#key",
            "unknown key '" + Key +
                "' (expected one of: rules, blocking, nonblocking, "
                "handlers, offload, run_in_caller, offload_executors, "
                "library_headers, presets, header_filter, returns, exclude)");
    }
  }

private:
  const JsonDocument &Doc;
  Config &Out;
  bool IsPreset;

  std::string regex(const nlohmann::json &V, const std::string &Ptr) {
    std::string Text = string(V, Ptr);
    std::string Error;
    if (!llvm::Regex(Text).isValid(Error))
      Doc.fail(Ptr, "not a valid regular expression: " + Error);
    return Text;
  }

  void readPresets(const nlohmann::json &V, const std::string &Ptr) {
    array(V, Ptr);
    Out.Presets.clear();
    for (size_t I = 0; I < V.size(); ++I) {
      std::string Name = string(V[I], Ptr + "/" + std::to_string(I));
      if (!Out.PresetCatalog || !Out.PresetCatalog->count(Name)) {
        std::string Known;
        if (Out.PresetCatalog)
          for (const auto &Entry : *Out.PresetCatalog)
            Known += (Known.empty() ? "" : ", ") + Entry.first;
        Doc.fail(Ptr + "/" + std::to_string(I),
                 "unknown preset '" + Name +
                     "' (known: " + (Known.empty() ? "none" : Known) + ")");
      }
      Out.Presets.push_back(Name);
    }
  }

  const nlohmann::json &array(const nlohmann::json &V, const std::string &Ptr) {
    if (!V.is_array())
      Doc.fail(Ptr, "expected an array");
    return V;
  }

  std::string string(const nlohmann::json &V, const std::string &Ptr) {
    if (!V.is_string())
      Doc.fail(Ptr, "expected a string");
    return V.get<std::string>();
  }

  void readReturns(const nlohmann::json &V, const std::string &Ptr) {
    if (!V.is_object())
      Doc.fail(Ptr, "\"returns\" maps a function to the class it returns");
    for (const auto &Item : V.items())
      Out.Returns[Item.key()] = string(Item.value(), Ptr + "/" + Item.key());
  }

  /// A rule id names a rule of C++, of Python, or of both.
  template <typename Fn> void forEachRuleSet(const std::string &Id, Fn Apply) {
    for (RuleSet *Set : {&Out.Rules, &Out.PythonRules})
      if (Set->find(Id))
        Apply(*Set);
  }

  void readRules(const nlohmann::json &V, const std::string &Ptr) {
    if (!V.is_object())
      Doc.fail(Ptr, "\"rules\" maps rule ids to settings");
    for (const auto &Item : V.items()) {
      std::string RulePtr = Ptr + "/" + Item.key();
      const std::string &Id = Item.key();
      const nlohmann::json &Settings = Item.value();
      if (!Out.Rules.find(Id) && !Out.PythonRules.find(Id))
        Doc.fail(RulePtr + "#key", "unknown rule '" + Id + "'");
      if (!Settings.is_object())
        Doc.fail(RulePtr, "expected {\"enabled\", \"severity\", \"options\"}");
      for (const auto &S : Settings.items()) {
        std::string SPtr = RulePtr + "/" + S.key();
        if (S.key() == "severity") {
          auto Level = parseSeverity(string(S.value(), SPtr));
          if (!Level)
            Doc.fail(SPtr,
                     "severity must be \"remark\", \"warning\" or \"error\"");
          forEachRuleSet(Id,
                         [&](RuleSet &Set) { Set.setSeverity(Id, *Level); });
        } else if (S.key() == "options") {
          if (!S.value().is_object())
            Doc.fail(SPtr, "\"options\" must be an object");
          forEachRuleSet(
              Id, [&](RuleSet &Set) { Set.mergeOptions(Id, S.value()); });
        } else if (S.key() != "enabled") {
          Doc.fail(SPtr + "#key",
                   "unknown key '" + S.key() +
                       "' (expected enabled, severity, options)");
        } else if (!S.value().is_boolean()) {
          Doc.fail(SPtr, "\"enabled\" must be true or false");
        }
      }
      if (Settings.contains("enabled") && !Settings["enabled"].get<bool>())
        forEachRuleSet(Id, [&](RuleSet &Set) { Set.disable(Id); });
    }
  }

  void readBlocking(const nlohmann::json &V, const std::string &Ptr) {
    array(V, Ptr);
    for (size_t I = 0; I < V.size(); ++I) {
      std::string EPtr = Ptr + "/" + std::to_string(I);
      nlohmann::json Entry = V[I];
      std::string RuleId = "declared-blocking";
      if (Entry.is_object() && Entry.contains("rule")) {
        RuleId = string(Entry["rule"], EPtr + "/rule");
        Entry.erase("rule");
      }
      CallPattern P = readCallPattern(Doc, Entry, EPtr);
      bool Added = false;
      forEachRuleSet(RuleId, [&](RuleSet &Set) {
        if (Set.find(RuleId)->Check == CheckKind::BlockingCall)
          Added |= Set.addPattern(RuleId, P);
      });
      if (!Added)
        Doc.fail(EPtr + "/rule",
                 "'" + RuleId + "' is not a blocking-call rule");
    }
  }

  int argumentIndex(const nlohmann::json &V, const std::string &Ptr,
                    bool AllowLast) {
    if (AllowLast && V.is_string() && V.get<std::string>() == "last")
      return -1;
    if (!V.is_number_integer() || V.get<int64_t>() < 0 || V.get<int64_t>() > 16)
      Doc.fail(Ptr, std::string("expected an argument index (0-16)") +
                        (AllowLast ? " or \"last\"" : ""));
    return V.get<int>();
  }

  void readCallables(const nlohmann::json &V, const std::string &Ptr,
                     std::vector<CallableArgument> &List) {
    array(V, Ptr);
    for (size_t I = 0; I < V.size(); ++I) {
      std::string EPtr = Ptr + "/" + std::to_string(I);
      const nlohmann::json &E = V[I];
      if (!E.is_object() || !E.contains("function") || !E.contains("arg"))
        Doc.fail(EPtr, "expected {\"function\": NAME, \"arg\": INDEX}");
      CallableArgument C;
      C.Function = normalizeRuleName(string(E["function"], EPtr + "/function"));
      C.Arg = argumentIndex(E["arg"], EPtr + "/arg", /*AllowLast=*/true);
      for (const auto &Item : E.items()) {
        if (Item.key() == "unless_first_arg_like") {
          for (size_t K = 0;
               K < array(Item.value(), EPtr + "/" + Item.key()).size(); ++K)
            C.UnlessFirstArgLike.push_back(
                string(Item.value()[K],
                       EPtr + "/" + Item.key() + "/" + std::to_string(K)));
        } else if (Item.key() == "executor_arg") {
          C.ExecutorArg = static_cast<unsigned>(argumentIndex(
              Item.value(), EPtr + "/executor_arg", /*AllowLast=*/false));
        } else if (Item.key() != "function" && Item.key() != "arg") {
          Doc.fail(EPtr + "/" + Item.key() + "#key",
                   "unknown key '" + Item.key() +
                       "' (expected function, arg, executor_arg, "
                       "unless_first_arg_like)");
        }
      }
      List.push_back(std::move(C));
    }
  }
};

} // namespace

bool globMatch(const std::string &Pattern, const std::string &Name) {
  size_t Star = Pattern.find('*');
  if (Star == std::string::npos)
    return Pattern == Name;
  // Greedy matching with backtracking to the last star: linear enough for
  // names of a few hundred characters.
  size_t P = 0, N = 0, StarP = std::string::npos, StarN = 0;
  while (N < Name.size()) {
    if (P < Pattern.size() && Pattern[P] == '*') {
      StarP = P++;
      StarN = N;
    } else if (P < Pattern.size() && Pattern[P] == Name[N]) {
      ++P;
      ++N;
    } else if (StarP != std::string::npos) {
      P = StarP + 1;
      N = ++StarN;
    } else {
      return false;
    }
  }
  while (P < Pattern.size() && Pattern[P] == '*')
    ++P;
  return P == Pattern.size();
}

bool CallableArgument::matches(const std::string &Name) const {
  return globMatch(Function, Name);
}

bool isPythonSource(const std::string &Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  return Ext == ".py" || Ext == ".pyi";
}

const RuleSet &Config::rulesFor(const std::string &File) const {
  return isPythonSource(File) ? PythonRules : Rules;
}

bool Config::isNonBlocking(const std::string &Name) const {
  return std::find(NonBlocking.begin(), NonBlocking.end(), Name) !=
         NonBlocking.end();
}

const CallableArgument *Config::handlerEntry(const std::string &Name) const {
  for (const CallableArgument &C : Handlers)
    if (C.matches(Name))
      return &C;
  return nullptr;
}

const CallableArgument *Config::offloadEntry(const std::string &Name) const {
  for (const CallableArgument &C : Offload)
    if (C.matches(Name))
      return &C;
  return nullptr;
}

const CallableArgument *
Config::runInCallerEntry(const std::string &Name) const {
  for (const CallableArgument &C : RunInCaller)
    if (C.matches(Name))
      return &C;
  return nullptr;
}

bool Config::isOffload(const std::string &Name) const {
  return offloadEntry(Name) != nullptr;
}

bool Config::isOffloadExecutor(const std::string &Name) const {
  return std::any_of(
      OffloadExecutors.begin(), OffloadExecutors.end(),
      [&](const std::string &Pattern) { return globMatch(Pattern, Name); });
}

static Config applyConfigDocument(const Config &Base, const JsonDocument &Doc) {
  Config Out = Base;
  Out.Path = Doc.File;
  Out.Rules.addToFingerprint(Doc.Root.dump());
  Out.PythonRules.addToFingerprint(Doc.Root.dump());
  ConfigReader(Doc, Out).read();
  return Out;
}

std::shared_ptr<const std::map<std::string, JsonDocument>>
loadPresets(const std::string &Dir, const RuleSet &Rules) {
  auto Presets = std::make_shared<std::map<std::string, JsonDocument>>();
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; !EC && It != End;
       It.increment(EC)) {
    llvm::StringRef Path = It->path();
    if (Path.ends_with(".json"))
      (*Presets)[llvm::sys::path::stem(Path).str()] = readJsonFile(Path.str());
  }
  // Each preset must read as one: errors show when presets load, not when a
  // project first selects a broken one.
  for (const auto &Entry : *Presets) {
    Config Scratch;
    Scratch.Rules = Rules;
    ConfigReader(Entry.second, Scratch, /*IsPreset=*/true).read();
  }
  return Presets;
}

Config withPresets(const Config &Base) {
  Config Out = Base;
  if (!Base.PresetCatalog)
    return Out;
  for (const std::string &Name : Base.Presets) {
    const JsonDocument &Doc = Base.PresetCatalog->at(Name);
    Out.Rules.addToFingerprint("preset " + Name + Doc.Root.dump());
    ConfigReader(Doc, Out, /*IsPreset=*/true).read();
  }
  return Out;
}

Config applyConfigFile(const Config &Base, const std::string &Path) {
  return applyConfigDocument(Base, readJsonFile(Path));
}

Config applyConfigText(const Config &Base, const std::string &Text,
                       const std::string &Name) {
  return applyConfigDocument(Base, parseJsonText(Text, Name));
}

ConfigResolver::ConfigResolver(Config BaseConfig)
    : Base(std::make_shared<Config>(std::move(BaseConfig))),
      FinalBase(std::make_shared<Config>(withPresets(*Base))) {}

std::shared_ptr<Config> ConfigResolver::forDirectory(const std::string &Dir) {
  auto Known = ByDirectory.find(Dir);
  if (Known != ByDirectory.end())
    return Known->second;
  std::shared_ptr<Config> Result;
  llvm::SmallString<256> Candidate(Dir);
  llvm::sys::path::append(Candidate, ConfigName);
  if (llvm::sys::fs::exists(Candidate)) {
    std::string Path(Candidate);
    auto &Loaded = ByConfigFile[Path];
    if (!Loaded)
      Loaded =
          std::make_shared<Config>(withPresets(applyConfigFile(*Base, Path)));
    Result = Loaded;
  } else {
    llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
    Result = Parent.empty() || Parent == Dir ? FinalBase
                                             : forDirectory(Parent.str());
  }
  ByDirectory[Dir] = Result;
  return Result;
}

const Config &ConfigResolver::forFile(const std::string &File) {
  std::lock_guard<std::mutex> Guard(Lock);
  return *forDirectory(llvm::sys::path::parent_path(File).str());
}

} // namespace stallhound
