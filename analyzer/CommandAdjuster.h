//===- CommandAdjuster.h - Make any compile command parse with clang -*- C++
//-*-//
//
// Compile databases come from g++ as often as from clang. This removes flags
// clang does not know, adds the resource directory of the clang the analyzer
// is linked with, keeps warnings (and -Werror) from failing a TU, and defines
// what old asio releases need before clang sees their coroutine API.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_COMMANDADJUSTER_H
#define STALLHOUND_ANALYZER_COMMANDADJUSTER_H

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stallhound {

class CommandAdjuster {
public:
  /// Notes (one line each, said once per run) go to Note.
  CommandAdjuster(std::string ResourceDir,
                  std::function<void(const std::string &)> Note);

  /// Directory is the command's working directory (relative -I paths).
  std::vector<std::string> adjust(const std::vector<std::string> &Args,
                                  const std::string &Directory = "");

  /// Why defines were added for Library ("boost-asio" or "asio"), or "" when
  /// none were. Said only for TUs that really include the library.
  std::string injectionNote(const std::string &Library) const;

private:
  std::string ResourceDir;
  std::function<void(const std::string &)> Note;
  mutable std::mutex Lock; // adjust() runs on several threads with -j
  std::set<std::string> NotesGiven;
  std::map<std::string, std::string> InjectionNotes;
  std::map<std::string, std::optional<long>> VersionCache;

  void noteOnce(const std::string &Text);
  std::optional<long> headerVersion(const std::vector<std::string> &IncludeDirs,
                                    const std::string &Header,
                                    const std::string &Macro);
};

} // namespace stallhound

#endif
