//===- ExprFacts.cpp - Small questions asked about expressions ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ExprFacts.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace stallhound {

namespace {

/// Collects the numeric literals of a duration expression.
class LiteralCollector : public RecursiveASTVisitor<LiteralCollector> {
public:
  bool SawNonZero = false;
  bool SawZero = false;

  bool VisitIntegerLiteral(IntegerLiteral *L) {
    (L->getValue().isZero() ? SawZero : SawNonZero) = true;
    return true;
  }
  bool VisitFloatingLiteral(FloatingLiteral *L) {
    (L->getValue().isZero() ? SawZero : SawNonZero) = true;
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (isa<VarDecl>(DRE->getDecl()))
      SawNonZero = true; // a variable: not known to be zero
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    if (const FunctionDecl *FD = C->getDirectCallee();
        FD && FD->getIdentifier() && FD->getName() == "zero")
      SawZero = true;
    return true;
  }
};

class SuspensionFinder : public OwnCodeVisitor<SuspensionFinder> {
public:
  explicit SuspensionFinder(bool Yields) : Yields(Yields) {}
  bool Found = false;
  bool VisitCoawaitExpr(CoawaitExpr *) { return !(Found = true); }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr *) {
    return !(Found = true);
  }
  bool VisitCoyieldExpr(CoyieldExpr *) {
    Found |= Yields;
    return !Found;
  }

private:
  bool Yields;
};

class KeywordFinder : public OwnCodeVisitor<KeywordFinder> {
public:
  CoroutineKeywords Found;
  bool VisitCoawaitExpr(CoawaitExpr *) { return Found.Await = true; }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr *) {
    return Found.Await = true;
  }
  bool VisitCoyieldExpr(CoyieldExpr *) { return Found.Yield = true; }
  bool VisitCoreturnStmt(CoreturnStmt *) { return Found.Return = true; }
};

} // namespace

CoroutineKeywords coroutineKeywords(const Stmt *S) {
  KeywordFinder F;
  if (S)
    F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

const Expr *stripWrappers(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(Next))
      Next = EWC->getSubExpr();
    else if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = BTE->getSubExpr();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = MTE->getSubExpr();
    else if (const auto *CE = dyn_cast<ConstantExpr>(Next))
      Next = CE->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

/// True when every scalar inside V is zero (a duration is a struct of one).
static bool allZero(const APValue &V) {
  switch (V.getKind()) {
  case APValue::Int:
    return V.getInt().isZero();
  case APValue::Float:
    return V.getFloat().isZero();
  case APValue::Struct:
    for (unsigned I = 0; I < V.getStructNumBases(); ++I)
      if (!allZero(V.getStructBase(I)))
        return false;
    for (unsigned I = 0; I < V.getStructNumFields(); ++I)
      if (!allZero(V.getStructField(I)))
        return false;
    return true;
  default:
    return false;
  }
}

bool isZeroValue(const Expr *E, ASTContext &Ctx) {
  if (!E || E->isValueDependent())
    return false;
  // select(..., &timeout): look at what the pointed-to variable starts as.
  if (const auto *UO = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts());
      UO && UO->getOpcode() == UO_AddrOf)
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParens()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->getInit())
        return isZeroValue(VD->getInit(), Ctx);
  Expr::EvalResult Result;
  if (E->EvaluateAsRValue(Result, Ctx) && !Result.HasSideEffects)
    return allZero(Result.Val);
  LiteralCollector C;
  C.TraverseStmt(const_cast<Expr *>(E));
  return C.SawZero && !C.SawNonZero;
}

std::string sourceText(const Expr *E, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Range = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM,
      Ctx.getLangOpts());
  if (Range.isInvalid()) {
    // Inside a macro body: the text as the macro definition spells it.
    SourceLocation Begin = SM.getSpellingLoc(E->getBeginLoc());
    SourceLocation End = SM.getSpellingLoc(E->getEndLoc());
    if (SM.getFileID(Begin) != SM.getFileID(End) ||
        SM.isBeforeInTranslationUnit(End, Begin))
      return "";
    Range = CharSourceRange::getTokenRange(Begin, End);
  }
  return Lexer::getSourceText(Range, SM, Ctx.getLangOpts()).str();
}

bool mentionsAny(const Expr *E, const std::vector<std::string> &Words,
                 ASTContext &Ctx) {
  std::string Text = sourceText(E, Ctx);
  auto IsIdentChar = [](char C) {
    return std::isalnum(static_cast<unsigned char>(C)) || C == '_';
  };
  for (const std::string &W : Words) {
    for (size_t At = Text.find(W); At != std::string::npos;
         At = Text.find(W, At + 1)) {
      bool Before = At > 0 && IsIdentChar(Text[At - 1]);
      bool After =
          At + W.size() < Text.size() && IsIdentChar(Text[At + W.size()]);
      if (!Before && !After)
        return true;
    }
  }
  return false;
}

bool containsSuspension(const Stmt *S, bool Yields) {
  if (!S)
    return false;
  SuspensionFinder F(Yields);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

} // namespace stallhound
