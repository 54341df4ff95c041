//===- LoopBounds.h - How long a loop without suspension may run -*- C++
//-*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A loop on the loop thread stalls it when it runs long: a huge constant trip
// count, a count the request chooses (`for (i = 0; i < n; ++i)` with n from a
// parameter), loops nested over a request's input (quadratic work), or a loop
// that waits without suspending (a busy wait, or no exit at all). A single
// pass over a request's bytes or items, a loop over a handful of awaitables,
// a `for (;;)` that returns once it has consumed its input, are not.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_LOOPBOUNDS_H
#define STALLHOUND_ANALYZER_LOOPBOUNDS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"

#include <cstdint>
#include <optional>
#include <string>

namespace stallhound {

struct LoopLimits {
  int64_t MinIterations = 1000000;
  bool FlagInputDependent = true; // counts that a parameter decides
  bool FlagNestedInput = true;
  bool FlagUnbounded = true; // busy waits and loops with no exit
};

struct LoopVerdict {
  std::string Bound;  // "huge", "nested", "input-dependent" or "unbounded"
  std::string Detail; // human-readable reason
};

/// Why Loop (a for, while, do or range-for statement with no suspension point)
/// may run long, or nothing when it is bounded by a small constant or makes
/// progress through its input once.
std::optional<LoopVerdict> classifyLoop(const clang::Stmt *Loop,
                                        const LoopLimits &Limits,
                                        clang::ASTContext &Ctx);

} // namespace stallhound

#endif
