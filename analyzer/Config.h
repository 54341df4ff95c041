//===- Config.h - .stallhound.json: a project's configuration ---*- C++ -*-===//
//
// The nearest .stallhound.json above a source file configures its analysis:
// which rules run and how, extra blocking or non-blocking functions, and the
// functions that register loop callbacks (entry points) or run their argument
// on another thread (offload). rules/default.stallhound.json holds the
// built-in entry points; a project's file adds to it.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_CONFIG_H
#define STALLHOUND_ANALYZER_CONFIG_H

#include "RuleSet.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace stallhound {

/// A function one of whose arguments is a callable: run by the loop (handler
/// entry point) or on another thread (offload).
struct CallableArgument {
  std::string Function; // qualified name, template arguments omitted
  unsigned Arg = 0;
  /// Only when the first argument's class name contains none of these (for
  /// asio::post, which runs on a thread_pool when given one).
  std::vector<std::string> UnlessFirstArgLike;
};

struct Config {
  std::string Path; // "" for the built-in configuration
  RuleSet Rules;    // the effective rules
  std::vector<std::string> NonBlocking;
  std::vector<CallableArgument> Handlers;
  std::vector<CallableArgument> Offload;
  std::string HeaderFilter;

  bool isNonBlocking(const std::string &Name) const;
  const CallableArgument *handlerEntry(const std::string &Name) const;
  bool isOffload(const std::string &Name) const;
};

/// Applies a configuration file on top of Base. Throws LocatedError.
Config applyConfigFile(const Config &Base, const std::string &Path);
/// The same for a configuration held in memory (Name stands for the file).
Config applyConfigText(const Config &Base, const std::string &Text,
                       const std::string &Name);

/// Finds and loads the configuration of each file, once per directory.
class ConfigResolver {
public:
  explicit ConfigResolver(Config Base);

  /// The configuration of File: the nearest .stallhound.json in its directory
  /// or above, on top of the base. Thread-safe. Throws LocatedError.
  const Config &forFile(const std::string &File);
  const Config &base() const { return *Base; }

private:
  std::mutex Lock;
  std::shared_ptr<Config> Base;
  std::map<std::string, std::shared_ptr<Config>> ByDirectory;
  std::map<std::string, std::shared_ptr<Config>> ByConfigFile;

  std::shared_ptr<Config> forDirectory(const std::string &Dir);
};

} // namespace stallhound

#endif
