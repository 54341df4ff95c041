//===- CommandSupport.h - What the subcommands share ------------*- C++ -*-===//
//-*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_CLI_COMMANDSUPPORT_H
#define STALLHOUND_CLI_COMMANDSUPPORT_H

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stallhound {

/// A bad command line: reported with a pointer to --help, exit 2.
class UsageError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Path made absolute against the working directory, without . and ..
std::string absolutePath(const std::string &Path);

/// --color auto|always|never: auto colors only text going to a terminal, and
/// follows NO_COLOR, CLICOLOR_FORCE and TERM=dumb.
bool wantsColor(const std::string &Option, const std::string &OutputFile);

/// A subcommand's arguments with `--name=value` and `-p=value` split into two
/// arguments, as every subcommand accepts them; nothing after `--` or
/// `--launcher` is touched (compiler arguments, the command to run).
std::vector<std::string> splitInlineValues(int argc, char **argv);

/// The paths glob(3) finds for Pattern, sorted; none when it finds none.
std::vector<std::string> globFiles(const std::string &Pattern);

/// Runs a subcommand (Argv[0] is its name) on its arguments in the one
/// convention of every subcommand (splitInlineValues); answers --version
/// before the subcommand sees it.
int runSubcommand(int Argc, char **Argv,
                  const std::function<int(int, char **)> &Subcommand);

/// Runs Body; a UsageError or any other exception becomes one line on stderr
/// (naming Command) and exit status 2.
template <typename BodyFn> int runGuarded(const char *Command, BodyFn Body);

int reportUsageError(const char *Command, const UsageError &E);
int reportError(const std::exception &E);

template <typename BodyFn> int runGuarded(const char *Command, BodyFn Body) {
  try {
    return Body();
  } catch (const UsageError &E) {
    return reportUsageError(Command, E);
  } catch (const std::exception &E) {
    return reportError(E);
  }
}

} // namespace stallhound

#endif
