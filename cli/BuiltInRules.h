//===- BuiltInRules.h - Where the shipped rules are -------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_CLI_BUILTINRULES_H
#define STALLHOUND_CLI_BUILTINRULES_H

#include <string>

namespace stallhound {

/// <bin>/../share/stallhound/rules when installed (or in the build tree),
/// else the source tree's rules/.
std::string builtInRulesDir(const char *Argv0);

} // namespace stallhound

#endif
