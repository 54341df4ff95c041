//===- RuleCatalog.cpp - Rules of static and runtime findings -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "RuleCatalog.h"

#include "JsonText.h"

#include <algorithm>
#include <filesystem>

namespace stallhound::report {

namespace {

std::string stringField(const JsonDocument &Doc, const std::string &Key,
                        bool Required) {
  auto It = Doc.Root.find(Key);
  if (It == Doc.Root.end()) {
    if (Required)
      Doc.fail("", "missing required key '" + Key + "'");
    return "";
  }
  if (!It->is_string())
    Doc.fail("/" + Key, "'" + Key + "' must be a string");
  return It->get<std::string>();
}

} // namespace

void RuleCatalog::load(const std::string &Dir,
                       const std::vector<std::string> &Extra) {
  Static.addDirectory(Dir);
  for (const std::string &File : Extra)
    Static.addFile(File);
  for (const Rule &R : Static.rules())
    ById[R.Id] = &R;
  std::error_code EC;
  if (std::filesystem::is_directory(Dir + "/python", EC)) {
    PythonStatic.addDirectory(Dir + "/python");
    for (const Rule &R : PythonStatic.rules()) {
      Owned.push_back(R);
      Owned.back().Id = "python/" + R.Id;
      ById[Owned.back().Id] = &Owned.back();
    }
  }
  std::vector<std::string> Runtime;
  for (const auto &Entry :
       std::filesystem::directory_iterator(Dir + "/runtime", EC))
    if (Entry.path().extension() == ".json")
      Runtime.push_back(Entry.path().string());
  std::sort(Runtime.begin(), Runtime.end());
  for (const std::string &File : Runtime)
    addRuntimeFile(File);
}

void RuleCatalog::addRuntimeFile(const std::string &Path) {
  JsonDocument Doc = readJsonFile(Path);
  if (!Doc.Root.is_object())
    Doc.fail("", "a runtime rule must be a JSON object");
  for (const auto &Item : Doc.Root.items())
    if (Item.key() != "id" && Item.key() != "category" &&
        Item.key() != "severity" && Item.key() != "summary" &&
        Item.key() != "message" && Item.key() != "fix" &&
        Item.key() != "python_fix")
      Doc.fail("/" + Item.key() + "#key",
               "unknown key '" + Item.key() +
                   "' (expected one of: id, category, severity, summary, "
                   "message, fix, python_fix)");
  Rule R;
  R.DefinedIn = Path;
  R.Id = stringField(Doc, "id", true);
  if (R.Id.rfind("runtime/", 0) != 0)
    Doc.fail("/id", "a runtime rule id starts with 'runtime/'");
  R.Category = stringField(Doc, "category", true);
  R.Message = stringField(Doc, "message", true);
  R.Summary = stringField(Doc, "summary", false);
  R.Fix = stringField(Doc, "fix", false);
  R.PythonFix = stringField(Doc, "python_fix", false);
  if (std::string Level = stringField(Doc, "severity", false); !Level.empty()) {
    auto S = parseSeverity(Level);
    if (!S)
      Doc.fail("/severity",
               "severity must be \"remark\", \"warning\" or \"error\"");
    R.Level = *S;
  }
  Owned.push_back(std::move(R));
  ById[Owned.back().Id] = &Owned.back();
}

const Rule &RuleCatalog::staticRule(const std::string &Id,
                                    const std::string &Category, Severity Level,
                                    const std::string &Fix, bool Python) {
  if (Python)
    if (auto It = ById.find("python/" + Id); It != ById.end())
      return *It->second;
  if (auto It = ById.find(Id); It != ById.end())
    return *It->second;
  Rule R;
  R.Id = Id;
  R.Category = Category;
  R.Level = Level;
  R.Fix = Fix;
  R.Message = Id;
  Owned.push_back(std::move(R));
  ById[Id] = &Owned.back();
  return Owned.back();
}

const Rule &RuleCatalog::runtimeRule(const std::string &Kind) {
  std::string Id = runtimeRuleId(Kind);
  if (auto It = ById.find(Id); It != ById.end())
    return *It->second;
  Rule R;
  R.Id = Id;
  R.Category = "runtime";
  R.Summary = "a runtime finding of kind '" + Kind + "'";
  R.Message = "'{call}' in '{handler}' ({max})";
  Owned.push_back(std::move(R));
  ById[Id] = &Owned.back();
  return Owned.back();
}

} // namespace stallhound::report
