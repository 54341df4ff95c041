//===- FdOrigins.h - Where a function's file descriptors come from -*- C++ -*-//
//
// read()/write() block or not depending on the descriptor: a socket made with
// SOCK_NONBLOCK or switched with fcntl(O_NONBLOCK) does not block, and a read
// on a socket is socket I/O rather than file I/O. This looks at one function
// body, flow-insensitively, for the calls that create or configure each
// descriptor variable.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_FDORIGINS_H
#define STALLHOUND_ANALYZER_FDORIGINS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"

#include "llvm/ADT/DenseMap.h"

namespace stallhound {

enum class FdKind { Unknown, File, Socket };

struct FdInfo {
  FdKind Kind = FdKind::Unknown;
  bool NonBlocking = false;
};

class FdOrigins {
public:
  FdOrigins(const clang::Stmt *Body, clang::ASTContext &Ctx);

  /// What is known about the descriptor an argument expression names.
  FdInfo lookup(const clang::Expr *FdExpr) const;

private:
  llvm::DenseMap<const clang::ValueDecl *, FdInfo> Known;
};

} // namespace stallhound

#endif
