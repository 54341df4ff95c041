//===- ExprFacts.h - Small questions asked about expressions ----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_EXPRFACTS_H
#define STALLHOUND_ANALYZER_EXPRFACTS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"

#include <string>
#include <vector>

namespace stallhound {

/// Visits one function's own code: a nested lambda, local class or local
/// function is a function of its own and is not entered.
template <typename Derived>
class OwnCodeVisitor : public clang::RecursiveASTVisitor<Derived> {
public:
  bool TraverseLambdaExpr(clang::LambdaExpr *) { return true; }
  bool TraverseDecl(clang::Decl *D) {
    if (D &&
        (clang::isa<clang::TagDecl>(D) || clang::isa<clang::FunctionDecl>(D)))
      return true;
    return clang::RecursiveASTVisitor<Derived>::TraverseDecl(D);
  }
};

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
