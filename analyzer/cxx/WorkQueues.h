//===- WorkQueues.h - io_contexts that only run posted work -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A class may keep an io_context of its own, run by a thread it starts, only
// to run blocking work posted to it (asio's logger_service example): what is
// posted there runs off the event loop. An io_context that any I/O object,
// timer or other function is given is an event loop like any other.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_WORKQUEUES_H
#define STALLHOUND_ANALYZER_WORKQUEUES_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseSet.h"

#include <vector>

namespace stallhound {

/// The io_context members that the given methods (all of a TU's user
/// methods, constructors included) run on a thread they start and use for
/// nothing but post, dispatch and defer.
llvm::DenseSet<const clang::ValueDecl *>
workQueueMembers(const std::vector<const clang::FunctionDecl *> &Methods);

} // namespace stallhound

#endif
