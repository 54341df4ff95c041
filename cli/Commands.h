//===- Commands.h - Entry points of the stallhound subcommands --*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_CLI_COMMANDS_H
#define STALLHOUND_CLI_COMMANDS_H

namespace stallhound {

/// stallhound check: argv[0] is "check". Returns 0 (no findings), 1 (findings)
/// or 2 (errors).
int runCheck(int argc, char **argv, const char *Argv0);

/// stallhound run: argv[0] is "run". Runs a command with the runtime probe
/// preloaded; returns the command's exit status (128+N when killed by signal
/// N), 125 when the run itself failed, 126/127 when the command could not be
/// executed or found.
int runRun(int argc, char **argv);

/// stallhound report: argv[0] is "report". Returns 0 (nothing gating), 1
/// (findings match --fail-on) or 2 (bad arguments or input).
int runReport(int argc, char **argv);

/// stallhound-analyzer add-source-lines REPORT...: adds the source file and
/// line of native frames to probe reports, in place, for `stallhound run`.
/// Returns 0; a report it cannot read or rewrite keeps its addresses.
int runAddSourceLines(int argc, char **argv);

} // namespace stallhound

#endif
