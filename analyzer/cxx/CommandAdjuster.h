//===- CommandAdjuster.h - Make any compile command parse with clang -*- C++
//-*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Compile databases come from g++ as often as from clang. This removes flags
// clang does not know, adds the resource directory of the clang the analyzer
// is linked with, keeps warnings (and -Werror) from failing a TU, and defines
// what old asio releases need before clang sees their coroutine API.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_COMMANDADJUSTER_H
#define STALLHOUND_ANALYZER_COMMANDADJUSTER_H

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stallhound {

class CommandAdjuster {
public:
  explicit CommandAdjuster(std::string ResourceDir);

  /// Directory is the command's working directory (relative -I paths).
  /// Arguments are added before a "--" that ends the options.
  std::vector<std::string> adjust(const std::vector<std::string> &Args,
                                  const std::string &Directory = "");

  /// Arguments added to every command: after the compiler, and at the end of
  /// the options (clang-tidy's --extra-arg-before and --extra-arg).
  void addExtraArguments(std::vector<std::string> Before,
                         std::vector<std::string> After) {
    ExtraBefore = std::move(Before);
    ExtraAfter = std::move(After);
  }

  /// What adjust() said (one line each, each once), in order.
  const std::vector<std::string> &notes() const { return Notes; }
  /// Why defines were added, by library ("boost-asio" or "asio"). Said only
  /// for TUs that really include the library.
  const std::map<std::string, std::string> &injectionNotes() const {
    return InjectionNotes;
  }
  std::string injectionNote(const std::string &Library) const;

  /// Takes in what another adjuster said (one that ran in a child process);
  /// returns the notes this one had not said yet.
  std::vector<std::string>
  absorb(const std::vector<std::string> &OtherNotes,
         const std::map<std::string, std::string> &OtherInjections);

private:
  std::string ResourceDir;
  std::vector<std::string> ExtraBefore, ExtraAfter;
  std::vector<std::string> Notes;
  std::set<std::string> NotesGiven;
  std::map<std::string, std::string> InjectionNotes;
  std::map<std::string, std::optional<long>> VersionCache;

  bool noteOnce(const std::string &Text);
  std::optional<long> headerVersion(const std::vector<std::string> &IncludeDirs,
                                    const std::string &Header,
                                    const std::string &Macro);
};

} // namespace stallhound

#endif
