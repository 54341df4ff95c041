//===- BodyScanner.h - Facts about one function body ------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Walks the body of one function (a lambda's body counts as its own function)
// and records what the rules flag in it, plus its calls to other user
// functions so that phase 2 can follow them.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_BODYSCANNER_H
#define STALLHOUND_ANALYZER_BODYSCANNER_H

#include "AstNames.h"
#include "Config.h"
#include "Facts.h"
#include "FdOrigins.h"
#include "LoopBounds.h"
#include "RuleSet.h"
#include "UserCode.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace stallhound {

class BodyScanner {
public:
  BodyScanner(clang::ASTContext &Ctx, const Config &Cfg, const UserCode &User);

  /// Facts for FD, whose body must be present.
  FunctionFacts scan(const clang::FunctionDecl *FD);

  /// True when T is a coroutine task type: listed in the discarded-task rule's
  /// "task_types" option, or awaitable with a promise_type.
  bool isTaskType(clang::QualType T) const;

  /// Records that CPython calls FD with the GIL held.
  void markGilEntry(const clang::FunctionDecl *FD);
  /// Records that the loop runs FD (a registered callback, a coroutine
  /// spawned on the loop).
  void markLoopEntry(const clang::FunctionDecl *FD);
  /// Records that FD is started on an executor that is not the loop's.
  void markOffloaded(const clang::FunctionDecl *FD);
  /// Functions marked since the last call (by the mark* functions, or found
  /// while scanning: pybind11 .def(...) arguments, callbacks).
  std::vector<FunctionFacts> takeMarkedEntries();

  /// Members the TU makes non-blocking (see FdOrigins) and io_contexts it
  /// uses as work queues (see WorkQueues), used for every body.
  void setMemberFacts(MemberFds Fds,
                      llvm::DenseSet<const clang::ValueDecl *> Queues) {
    MemberFdFacts = std::move(Fds);
    WorkQueues = std::move(Queues);
  }

  /// The symbol and id of a function (cached: USRs are long).
  const FunctionKey &keyOf(const clang::FunctionDecl *FD);

private:
  friend class BodyWalker;

  clang::ASTContext &Ctx;
  const Config &Cfg;
  const RuleSet &Rules;
  const UserCode &User;
  const Rule *CpuLoopRule;
  const Rule *LockAcrossAwaitRule;
  const Rule *DiscardedTaskRule;
  LoopLimits Limits;
  std::vector<std::string> GuardTypes;
  std::vector<std::string> NonSuspendingAwaits;
  std::vector<std::string> TaskTypes;
  std::vector<FunctionFacts> Marked;
  MemberFds MemberFdFacts;
  llvm::DenseSet<const clang::ValueDecl *> WorkQueues;
  llvm::DenseMap<const clang::FunctionDecl *, FunctionKey> Keys;

  FunctionFacts &mark(const clang::FunctionDecl *FD);
  /// FD's id, symbol, name and location, without its body's facts.
  FunctionFacts identity(const clang::FunctionDecl *FD);
};

} // namespace stallhound

#endif
