//===- RuleSet.h - Blocking rules loaded from rules/*.json ------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A rule is data: an id, a category, a message, a fix hint, options, and for
// call rules the functions it matches. The analyzer's built-in checks (CPU
// loops, locks across co_await, discarded tasks) read their wording and
// options from rules too, so every finding is described by one rule file.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_RULESET_H
#define STALLHOUND_ANALYZER_RULESET_H

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace stallhound {

enum class Severity { Remark, Warning, Error };

const char *severityName(Severity S);
std::optional<Severity> parseSeverity(const std::string &Name);

/// Which analysis produces a rule's findings.
enum class CheckKind {
  BlockingCall,
  CpuLoop,
  LockAcrossAwait,
  DiscardedTask,
  GilHeld, // blocking calls in CPython extension functions holding the GIL
};

/// Checks that follow calls: a helper's blocking call or CPU loop stalls the
/// handler that calls it.
bool propagatesThroughCalls(CheckKind Kind);

/// One function (or constructor) a call rule matches, with the conditions
/// under which a call to it does not block.
struct CallPattern {
  std::string Name;                   // qualified, template arguments omitted
  bool AnyMember = false;             // Name was "Class::*" or "module.Class.*"
  std::string MemberSeparator = "::"; // "." for Python names
  bool IsConstructor = false;
  unsigned MinArgs = 0;
  std::vector<std::string> Receiver;      // object (or first argument) class
  std::vector<std::string> UnlessArgType; // e.g. std::defer_lock_t
  std::optional<unsigned> UnlessZeroArg;  // timeout/duration argument
  std::optional<unsigned> UnlessFlagsArg; // flags argument checked for...
  std::vector<std::string> UnlessFlags;   // ...these macro names
  std::optional<unsigned> FdArg;          // file descriptor argument
  std::optional<unsigned> ObjectArg; // the object worked on (a guard's mutex)
  std::string OnSocket; // rule id to report when FdArg is a known socket
};

struct Rule {
  std::string Id;
  std::string Category;
  Severity Level = Severity::Warning;
  CheckKind Check = CheckKind::BlockingCall;
  std::string Summary;
  std::string Message; // may contain {callee}
  std::string Fix;
  /// Runtime rules: the fix when the handler is Python code, if it differs.
  std::string PythonFix;
  nlohmann::json Options = nlohmann::json::object();
  std::vector<CallPattern> Patterns;
  std::string DefinedIn;
  /// "python" for a rule of Python code; "" or "c++" for C and C++. Decides
  /// which rule set a --rules file joins (rules/python/ is Python's).
  std::string Language;

  int64_t intOption(const std::string &Name, int64_t Default) const;
  bool boolOption(const std::string &Name, bool Default) const;
  std::vector<std::string> stringListOption(const std::string &Name) const;
};

/// A candidate match of a called function's name against a rule.
struct PatternRef {
  const Rule *R;
  const CallPattern *P;
};

struct JsonDocument;

/// Reads one match entry ({"function": ...} or {"constructor": ...}) of Doc
/// at Pointer. Throws LocatedError.
CallPattern readCallPattern(const JsonDocument &Doc, const nlohmann::json &V,
                            const std::string &Pointer);

class RuleSet {
public:
  RuleSet() = default;
  RuleSet(const RuleSet &Other);
  RuleSet &operator=(const RuleSet &Other);

  /// Loads every *.json file of a directory, in name order. A directory with
  /// none is an error (a mistyped --rules-dir must not pass silently).
  void addDirectory(const std::string &Dir);
  /// Loads one file holding a rule object or {"rules": [...]}. A rule whose id
  /// is already known replaces the earlier one. Throws LocatedError.
  void addFile(const std::string &Path);
  /// The same for rules held in memory; Name stands for the file in errors.
  void addText(const std::string &Text, const std::string &Name);

  const Rule *find(const std::string &Id) const;
  const Rule *findByCheck(CheckKind Kind) const;
  const std::vector<Rule> &rules() const { return Rules; }

  /// Changes whenever the loaded rules do (for caches of results).
  const std::string &fingerprint() const { return Fingerprint; }

  /// Configuration: drop a rule, change its severity, merge options into its
  /// own, or add a function it matches. Return false for an unknown id.
  bool disable(const std::string &Id);
  bool setSeverity(const std::string &Id, Severity Level);
  bool mergeOptions(const std::string &Id, const nlohmann::json &Options);
  bool addPattern(const std::string &Id, CallPattern Pattern);
  void addToFingerprint(const std::string &Text) { Fingerprint += Text; }

  /// Patterns whose name matches a called function's qualified name.
  std::vector<PatternRef> callPatterns(const std::string &QualifiedName,
                                       bool IsConstructor) const;

private:
  void reindex();
  void addDocument(const JsonDocument &Doc);

  std::vector<Rule> Rules;
  std::string Fingerprint;
  std::unordered_map<std::string, std::vector<PatternRef>> ByName;
  std::vector<PatternRef> AnyMemberPatterns;
};

/// Strips a leading "::" and inline namespaces spelled by users ("std::__1").
std::string normalizeRuleName(const std::string &Name);

} // namespace stallhound

#endif
