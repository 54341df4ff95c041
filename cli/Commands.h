//===- Commands.h - Entry points of the stallhound subcommands --*- C++ -*-===//

#ifndef STALLHOUND_CLI_COMMANDS_H
#define STALLHOUND_CLI_COMMANDS_H

namespace stallhound {

/// stallhound check: argv[0] is "check". Returns 0 (no findings), 1 (findings)
/// or 2 (errors).
int runCheck(int argc, char **argv, const char *Argv0);

} // namespace stallhound

#endif
