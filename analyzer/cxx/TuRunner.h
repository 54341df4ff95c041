//===- TuRunner.h - Parse translation units and extract facts ---*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_TURUNNER_H
#define STALLHOUND_ANALYZER_TURUNNER_H

#include "CommandAdjuster.h"
#include "Config.h"
#include "Facts.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <string>

namespace stallhound {

/// Runs phase 1 on one source file with the first compile command the
/// database has for it. Parse errors end up in the returned facts' Errors,
/// never on stderr, so that the caller reports each failed TU exactly once.
/// A crash is not caught: run it in a process of its own (analyzeFiles).
TuFacts extractFacts(const clang::tooling::CompilationDatabase &DB,
                     const std::string &File, const Config &Cfg,
                     CommandAdjuster &Adjuster,
                     const std::string &HeaderFilter = "");

} // namespace stallhound

#endif
