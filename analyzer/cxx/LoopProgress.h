//===- LoopProgress.h - Whether a loop can end by itself -------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A loop that waits for something without suspending (a busy wait) reads
// state that nothing in the loop changes; a loop that consumes its input
// (advances an index, pops a queue, calls something that may do anything)
// can end by itself.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_LOOPPROGRESS_H
#define STALLHOUND_ANALYZER_LOOPPROGRESS_H

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace stallhound {

/// The body and the condition (nullptr for a range-for or `for (;;)`) of a
/// for, while, do or range-for statement.
const clang::Stmt *loopBody(const clang::Stmt *Loop);
const clang::Expr *loopCondition(const clang::Stmt *Loop);

/// Where a loop can end: the conditions that guard a break, return, throw or
/// goto in its body (breaks of nested loops and switches excluded), and
/// whether one such exit is unconditional.
struct LoopExits {
  llvm::SmallVector<const clang::Expr *, 4> Guards;
  bool Unconditional = false;
  bool any() const { return Unconditional || !Guards.empty(); }
};
LoopExits loopExits(const clang::Stmt *Body);

/// True when the loop can reach its exit by itself: it changes something the
/// exit Conditions read, or calls something that may change anything.
bool makesProgress(const clang::Stmt *Loop,
                   llvm::ArrayRef<const clang::Expr *> Conditions);

} // namespace stallhound

#endif
