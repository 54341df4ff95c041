//===- LoopProgress.cpp - Whether a loop can end by itself ----------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "LoopProgress.h"

#include "ExprFacts.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace stallhound {

const Stmt *loopBody(const Stmt *Loop) {
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    return For->getBody();
  if (const auto *While = dyn_cast<WhileStmt>(Loop))
    return While->getBody();
  if (const auto *Do = dyn_cast<DoStmt>(Loop))
    return Do->getBody();
  return cast<CXXForRangeStmt>(Loop)->getBody();
}

const Expr *loopCondition(const Stmt *Loop) {
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    return For->getCond();
  if (const auto *While = dyn_cast<WhileStmt>(Loop))
    return While->getCond();
  if (const auto *Do = dyn_cast<DoStmt>(Loop))
    return Do->getCond();
  return nullptr;
}

namespace {

/// The variable or member an lvalue is rooted in: `x`, `x.field[i]`,
/// `this->pos_` (the member), `*p` (p).
const ValueDecl *rootOf(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = stripWrappers(E);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return isa<VarDecl>(DRE->getDecl()) ? DRE->getDecl() : nullptr;
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        return ME->getMemberDecl();
      E = ME->getBase();
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
    } else if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      E = UO->getSubExpr();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
               Op && Op->getNumArgs() > 0 &&
               (Op->getOperator() == OO_Subscript ||
                Op->getOperator() == OO_Star ||
                Op->getOperator() == OO_Arrow)) {
      E = Op->getArg(0);
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

bool declaredInside(const Decl *D, const Stmt *Loop) {
  SourceRange R = Loop->getSourceRange();
  SourceLocation L = D->getLocation();
  const SourceManager &SM = D->getASTContext().getSourceManager();
  return R.isValid() && L.isValid() &&
         !SM.isBeforeInTranslationUnit(L, R.getBegin()) &&
         !SM.isBeforeInTranslationUnit(R.getEnd(), L);
}

/// Calls that wait politely or read the clock but change nothing a loop
/// could be waiting for.
bool changesNothing(const FunctionDecl *FD) {
  if (FD->getBuiltinID())
    return true;
  if (!FD->getIdentifier())
    return false;
  llvm::StringRef Name = FD->getName();
  return Name == "yield" || Name == "sched_yield" || Name == "now" ||
         Name == "_mm_pause" || Name == "cpu_relax";
}

/// What the statements of a loop change: variables and members assigned,
/// incremented, called non-const methods on, or passed by non-const
/// reference or address; whether a non-const method runs on `this`; and
/// whether it calls a function that may change anything.
class ChangeCollector : public RecursiveASTVisitor<ChangeCollector> {
public:
  llvm::DenseSet<const ValueDecl *> Changed;
  bool ThisChanged = false;
  bool CallsAnything = false;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }

  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp())
      note(BO->getLHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
      note(UO->getSubExpr());
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MCE) {
    const CXXMethodDecl *M = MCE->getMethodDecl();
    if (M && M->isConst())
      return true;
    const Expr *Object = MCE->getImplicitObjectArgument();
    if (!Object || isa<CXXThisExpr>(Object->IgnoreParenImpCasts()))
      ThisChanged = true;
    else
      note(Object);
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
    bool Mutates = Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
                   Op->getOperator() == OO_MinusMinus ||
                   (M && !M->isConst() && !M->isStatic());
    if (Mutates && Op->getNumArgs() > 0)
      note(Op->getArg(0));
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD) {
      CallsAnything = true; // through a pointer: anything
      return true;
    }
    if (isa<CXXMemberCallExpr, CXXOperatorCallExpr>(CE))
      return true;
    if (!changesNothing(FD) && !isa<CXXMethodDecl>(FD) &&
        !FD->isInStdNamespace())
      CallsAnything = true;
    // Arguments bound to non-const references (std::getline(in, line)).
    for (unsigned I = 0; I < CE->getNumArgs() && I < FD->getNumParams(); ++I) {
      QualType T = FD->getParamDecl(I)->getType();
      if (T->isReferenceType() && !T.getNonReferenceType().isConstQualified())
        note(CE->getArg(I));
    }
    return true;
  }

private:
  void note(const Expr *E) {
    if (const ValueDecl *Root = rootOf(E))
      Changed.insert(Root);
  }
};

/// What exit conditions read: variables and members, and calls that may do
/// anything (non-const, not an operator), through the locals declared inside
/// the loop (`int n = queue.size(); if (n == 0) break;`).
class ReadCollector : public RecursiveASTVisitor<ReadCollector> {
public:
  explicit ReadCollector(const Stmt *Loop) : Loop(Loop) {}

  llvm::DenseSet<const ValueDecl *> Read;
  bool CallsAnything = false;
  bool ReadsMembers = false;
  bool ReadsInsideLocals = false; // recomputed on each iteration

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }

  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    const auto *Var = dyn_cast<VarDecl>(DRE->getDecl());
    if (!Var || !Read.insert(Var).second)
      return true;
    if (!declaredInside(Var, Loop))
      return true;
    ReadsInsideLocals = true;
    if (Var->getInit() && Depth < 4) {
      ++Depth;
      TraverseStmt(const_cast<Expr *>(Var->getInit()));
      --Depth;
    }
    return true;
  }
  bool VisitMemberExpr(MemberExpr *ME) {
    if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
      Read.insert(ME->getMemberDecl());
      ReadsMembers = true;
    }
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    if (isa<CXXOperatorCallExpr>(CE))
      return true;
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD) {
      CallsAnything = true;
      return true;
    }
    const auto *M = dyn_cast<CXXMethodDecl>(FD);
    if (changesNothing(FD) || (M && (M->isConst() || M->isStatic())))
      return true;
    CallsAnything = true;
    return true;
  }

private:
  const Stmt *Loop;
  unsigned Depth = 0;
};

bool leavesHere(const Stmt *S, bool InNestedBreakable) {
  if (!S)
    return false;
  if (isa<ReturnStmt, CoreturnStmt, CXXThrowExpr, GotoStmt>(S))
    return true;
  if (isa<BreakStmt>(S))
    return !InNestedBreakable;
  if (isa<LambdaExpr>(S))
    return false;
  bool Nested = InNestedBreakable ||
                isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(S);
  for (const Stmt *Child : S->children())
    if (leavesHere(Child, Nested))
      return true;
  return false;
}

void collectExits(const Stmt *S, LoopExits &Out, const Expr *Guard = nullptr) {
  if (!S || isa<LambdaExpr>(S) ||
      isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(S)) {
    // A nested loop's or switch's own breaks do not end this loop; its
    // returns do, under the nested statement's guard.
    if (S && !isa<LambdaExpr>(S) && leavesHere(S, /*InNestedBreakable=*/true)) {
      if (Guard)
        Out.Guards.push_back(Guard);
      else if (const Expr *Inner = loopCondition(S))
        Out.Guards.push_back(Inner);
      else
        Out.Unconditional = true;
    }
    return;
  }
  if (isa<ReturnStmt, CoreturnStmt, CXXThrowExpr, GotoStmt, BreakStmt>(S)) {
    if (Guard)
      Out.Guards.push_back(Guard);
    else
      Out.Unconditional = true;
    return;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    const Expr *Cond = If->getCond();
    collectExits(If->getThen(), Out, Guard ? Guard : Cond);
    collectExits(If->getElse(), Out, Guard ? Guard : Cond);
    return;
  }
  for (const Stmt *Child : S->children())
    collectExits(Child, Out, Guard);
}

} // namespace

LoopExits loopExits(const Stmt *Body) {
  LoopExits Out;
  collectExits(Body, Out);
  return Out;
}

/// True when the loop can reach its exit by itself: it changes something
/// the exit conditions read (consumes its input, pops a queue, advances an
/// index), or calls something that may change anything. A busy wait only
/// reads state that another thread changes.
bool makesProgress(const Stmt *Loop, llvm::ArrayRef<const Expr *> Conditions) {
  ReadCollector Reads(Loop);
  for (const Expr *Cond : Conditions)
    Reads.TraverseStmt(const_cast<Expr *>(Cond));
  ChangeCollector Changes;
  Changes.TraverseStmt(const_cast<Stmt *>(Loop));
  if (Reads.CallsAnything || Changes.CallsAnything)
    return true;
  bool ChangesOutside = Changes.ThisChanged;
  for (const ValueDecl *D : Changes.Changed) {
    if (declaredInside(D, Loop))
      continue;
    ChangesOutside = true;
    if (Reads.Read.contains(D))
      return true;
  }
  if (Changes.ThisChanged && Reads.ReadsMembers)
    return true;
  // Locals computed anew each iteration from state the loop changes.
  return Reads.ReadsInsideLocals && ChangesOutside;
}

} // namespace stallhound
