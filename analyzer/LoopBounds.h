//===- LoopBounds.h - How long a loop without suspension may run -*- C++
//-*-===//

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
  bool FlagInputDependent = true;
  bool FlagUnbounded = true;
};

struct LoopVerdict {
  std::string Bound;  // "huge", "input-dependent" or "unbounded"
  std::string Detail; // human-readable reason
};

/// Why Loop (a for, while, do or range-for statement with no suspension point)
/// may run long, or nothing when its bound is small and fixed.
std::optional<LoopVerdict> classifyLoop(const clang::Stmt *Loop,
                                        const LoopLimits &Limits,
                                        clang::ASTContext &Ctx);

} // namespace stallhound

#endif
