//===- Config.h - .stallhound.json: a project's configuration ---*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The nearest .stallhound.json above a source file configures its analysis:
// which rules run and how, extra blocking or non-blocking functions, and the
// functions that register loop callbacks (entry points) or run their argument
// on another thread (offload). Presets (rules/presets/*.json) say the same for
// a framework (asio, Beast, cinatra, libcoro, async_simple, libuv); the
// "presets" key selects them. rules/default.stallhound.json holds the
// built-in defaults; a project's file adds to them.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_CONFIG_H
#define STALLHOUND_ANALYZER_CONFIG_H

#include "JsonText.h"
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
  /// Qualified name, template arguments omitted; '*' matches any characters
  /// ("asio::*::async_*").
  std::string Function;
  int Arg = 0; // -1: the last argument
  /// The argument that says where the callable runs: on an offload executor
  /// (see Config::OffloadExecutors) the callable is offloaded, not a handler.
  std::optional<unsigned> ExecutorArg;
  /// Only when the first argument's class name contains none of these.
  std::vector<std::string> UnlessFirstArgLike;

  bool matches(const std::string &Name) const;
};

/// True for the files the Python front end reads (.py, .pyi).
bool isPythonSource(const std::string &Path);

/// True when Name matches Pattern, where '*' stands for any characters.
bool globMatch(const std::string &Pattern, const std::string &Name);

struct Config {
  std::string Path;    // "" for the built-in configuration
  RuleSet Rules;       // the effective rules for C and C++
  RuleSet PythonRules; // the same for Python (rules/python)
  /// Python: what a call returns, when its name does not say (a factory such
  /// as sqlite3.connect, or a decorator such as celery's app.task), so that
  /// calls on the result match rules ("sqlite3.Connection.execute").
  std::map<std::string, std::string> Returns;
  /// Python: paths a directory walk skips ('*' matches any characters; a
  /// directory's path ends in '/').
  std::vector<std::string> Exclude;
  std::vector<std::string> NonBlocking;
  std::vector<CallableArgument> Handlers;
  std::vector<CallableArgument> Offload;
  /// Functions that run their argument on the calling thread and wait for it
  /// (sync_wait): the argument is no handler of its own, and it blocks its
  /// caller.
  std::vector<CallableArgument> RunInCaller;
  /// Executors that are not the loop's (thread pools, a "blocking"
  /// executor): class names (or a base's) or functions that return one.
  std::vector<std::string> OffloadExecutors;
  /// Headers whose path matches one of these are library code, even inside
  /// the project (a bundled asio).
  std::vector<std::string> LibraryHeaders;
  std::string HeaderFilter;
  /// Selected presets, and every preset the rules directory offers.
  std::vector<std::string> Presets;
  std::shared_ptr<const std::map<std::string, JsonDocument>> PresetCatalog;

  /// The rules of File's language.
  const RuleSet &rulesFor(const std::string &File) const;
  bool isNonBlocking(const std::string &Name) const;
  const CallableArgument *handlerEntry(const std::string &Name) const;
  const CallableArgument *offloadEntry(const std::string &Name) const;
  const CallableArgument *runInCallerEntry(const std::string &Name) const;
  bool isOffload(const std::string &Name) const;
  bool isOffloadExecutor(const std::string &Name) const;
};

/// Reads every *.json of Dir as a preset named after its file, each checked
/// against Rules. Throws LocatedError.
std::shared_ptr<const std::map<std::string, JsonDocument>>
loadPresets(const std::string &Dir, const RuleSet &Rules);

/// Config with its selected presets applied (their handlers, offloads,
/// blocking functions and library headers added).
Config withPresets(const Config &Base);

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
  /// or above, on top of the base, with its presets. Thread-safe. Throws
  /// LocatedError.
  const Config &forFile(const std::string &File);
  /// The base configuration with its presets.
  const Config &base() const { return *FinalBase; }

private:
  std::mutex Lock;
  std::shared_ptr<Config> Base;
  std::shared_ptr<Config> FinalBase;
  std::map<std::string, std::shared_ptr<Config>> ByDirectory;
  std::map<std::string, std::shared_ptr<Config>> ByConfigFile;

  std::shared_ptr<Config> forDirectory(const std::string &Dir);
};

} // namespace stallhound

#endif
