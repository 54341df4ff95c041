//===- ExprFacts.h - Small questions asked about expressions ----*- C++ -*-===//

#ifndef STALLHOUND_ANALYZER_EXPRFACTS_H
#define STALLHOUND_ANALYZER_EXPRFACTS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"

#include <string>
#include <vector>

namespace stallhound {

/// True when E is a zero timeout or duration: 0, 0ms, seconds(0), ::zero().
bool isZeroValue(const clang::Expr *E, clang::ASTContext &Ctx);

/// The source text of E as written (macro names kept), or "" if unavailable.
std::string sourceText(const clang::Expr *E, clang::ASTContext &Ctx);

/// True when E's source text names one of Words as a whole identifier.
bool mentionsAny(const clang::Expr *E, const std::vector<std::string> &Words,
                 clang::ASTContext &Ctx);

/// True when S contains a co_await (or co_yield, if Yields) outside nested
/// lambdas.
bool containsSuspension(const clang::Stmt *S, bool Yields);

/// The coroutine keywords a body uses outside nested lambdas (an
/// uninstantiated template has no CoroutineBodyStmt to tell).
struct CoroutineKeywords {
  bool Await = false;
  bool Yield = false;
  bool Return = false;
  bool any() const { return Await || Yield || Return; }
};
CoroutineKeywords coroutineKeywords(const clang::Stmt *S);

/// E with parentheses, implicit casts, cleanups and temporaries removed.
const clang::Expr *stripWrappers(const clang::Expr *E);

} // namespace stallhound

#endif
