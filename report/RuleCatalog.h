//===- RuleCatalog.h - Rules of static and runtime findings -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Every finding of a report is described by a rule: the analyzer's rules
// (rules/*.json) for static findings, rules/runtime/*.json for the probe's
// finding kinds (rule id "runtime/<kind>"). A static report may name a rule
// the catalog does not know (a team's --rules file): its own category,
// severity and fix hint then describe it.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_RULECATALOG_H
#define STALLHOUND_REPORT_RULECATALOG_H

#include "RuleSet.h"

#include <deque>
#include <map>
#include <string>

namespace stallhound::report {

class RuleCatalog {
public:
  /// The analyzer's rules of Dir (with Extra files) and the runtime rules of
  /// Dir/runtime. Throws LocatedError for a bad rules file.
  void load(const std::string &Dir, const std::vector<std::string> &Extra);
  /// One runtime rules file: id, category, severity, summary, message, fix.
  void addRuntimeFile(const std::string &Path);

  /// The rule of a static finding (a Python rule, "python/<id>", for a
  /// finding in Python code); an unknown id gets a rule made of the
  /// finding's own fields.
  const Rule &staticRule(const std::string &Id, const std::string &Category,
                         Severity Level, const std::string &Fix,
                         bool Python = false);
  /// "runtime/<kind>"; an unknown kind gets a generic rule.
  const Rule &runtimeRule(const std::string &Kind);

  /// A rule of the rules files, or one a static report used.
  bool knows(const std::string &Id) const { return ById.count(Id); }

  static std::string runtimeRuleId(const std::string &Kind) {
    return "runtime/" + Kind;
  }

private:
  RuleSet Static;
  RuleSet PythonStatic;
  std::map<std::string, const Rule *> ById;
  std::deque<Rule> Owned;
};

} // namespace stallhound::report

#endif
