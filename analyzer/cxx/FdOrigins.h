//===- FdOrigins.h - Where a function's file descriptors come from -*- C++ -*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// read()/write() block or not depending on the descriptor: a socket made with
// SOCK_NONBLOCK or switched with fcntl(O_NONBLOCK) does not block, nor does an
// asio socket after non_blocking(true), and a read on a socket is socket I/O
// rather than file I/O. This looks at one function
// body, flow-insensitively, for the calls that create or configure each
// descriptor variable.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_FDORIGINS_H
#define STALLHOUND_ANALYZER_FDORIGINS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <vector>

namespace stallhound {

enum class FdKind { Unknown, File, Socket };

struct FdInfo {
  FdKind Kind = FdKind::Unknown;
  bool NonBlocking = false;
  // An asio socket that runs an asynchronous operation: asio makes its
  // descriptor O_NONBLOCK, so raw I/O on native_handle() does not wait (its
  // own synchronous calls still do: asio waits for readiness itself).
  bool AsyncSocket = false;
};

/// What a translation unit's methods tell about its class members.
struct MemberFds {
  llvm::DenseSet<const clang::ValueDecl *> NonBlocking;
  llvm::DenseSet<const clang::ValueDecl *> AsyncSockets;
};

class FdOrigins {
public:
  /// Members: what some function of the TU does to class members (a pipe or
  /// socket set up in a constructor and used in other methods).
  FdOrigins(const clang::Stmt *Body, clang::ASTContext &Ctx,
            const MemberFds *Members = nullptr);

  /// The members that the given functions make non-blocking, and the asio
  /// sockets they run asynchronous operations on.
  static MemberFds
  memberFacts(const std::vector<const clang::FunctionDecl *> &Bodies,
              clang::ASTContext &Ctx);

  /// What is known about the descriptor an argument expression names.
  FdInfo lookup(const clang::Expr *FdExpr) const;

  /// The class member an fd expression names (through subscripts and trivial
  /// accessors), or nullptr.
  static const clang::FieldDecl *member(const clang::Expr *FdExpr);

  /// The variable or member an expression names (through subscripts and
  /// trivial accessors), or nullptr.
  static const clang::ValueDecl *variable(const clang::Expr *E);

private:
  llvm::DenseMap<const clang::ValueDecl *, FdInfo> Known;

  /// Adds the reference members bound to one of Members (a wrapper that
  /// keeps a reference to a non-blocking socket).
  static void
  addReferenceAliases(const std::vector<const clang::FunctionDecl *> &Bodies,
                      llvm::DenseSet<const clang::ValueDecl *> &Members);
  const MemberFds *Members;
};

} // namespace stallhound

#endif
