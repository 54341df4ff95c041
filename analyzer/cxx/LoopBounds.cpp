//===- LoopBounds.cpp - How long a loop without suspension may run --------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "LoopBounds.h"

#include "ExprFacts.h"
#include "LoopProgress.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>

using namespace clang;

namespace stallhound {

namespace {

std::optional<int64_t> constantInt(const Expr *E, ASTContext &Ctx) {
  if (!E || E->isValueDependent() ||
      !E->getType()->isIntegralOrEnumerationType())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt().getExtValue();
}

const VarDecl *referencedVar(const Expr *E) {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripWrappers(E)))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

std::optional<int64_t> initialValue(const Stmt *Init, const VarDecl *Counter,
                                    ASTContext &Ctx) {
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(Init))
    for (const Decl *D : DS->decls())
      if (D == Counter)
        return constantInt(Counter->getInit(), Ctx);
  return std::nullopt;
}

std::string quoted(const Expr *E, ASTContext &Ctx) {
  std::string Text = E ? sourceText(E, Ctx) : "";
  if (Text.empty())
    return "the expression";
  if (Text.size() > 60)
    Text = Text.substr(0, 57) + "...";
  return "'" + Text + "'";
}

/// `p != nullptr`, `p`, `!p` on a pointer: a walk along a linked structure
/// (waking the waiters of a lock or event), not a request-sized loop.
bool isPointerWalk(const Expr *Cond, ASTContext &Ctx) {
  Cond = stripWrappers(Cond);
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot)
    Cond = stripWrappers(UO->getSubExpr());
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond); BO && BO->isEqualityOp())
    return BO->getLHS()->IgnoreParenImpCasts()->getType()->isPointerType() &&
           BO->getRHS()->IgnoreParenImpCasts()->isNullPointerConstant(
               Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
  return Cond->getType()->isPointerType();
}

/// True when E reads a parameter of the function, directly or through local
/// variables initialized from one: the caller (a request) decides the trip
/// count. Members and locals built inside the function are not inputs.
bool dependsOnParameter(const Stmt *S, unsigned Depth = 0) {
  if (!S || Depth > 4)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (isa<ParmVarDecl>(DRE->getDecl()))
      return true;
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasLocalStorage() && VD->getInit())
      return dependsOnParameter(VD->getInit(), Depth + 1);
    return false;
  }
  for (const Stmt *Child : S->children())
    if (dependsOnParameter(Child, Depth))
      return true;
  return false;
}

/// A compare-and-swap retry loop ends as soon as no other thread interferes.
/// (Also in templates, where the call is still a dependent member access.)
bool isRetryLoop(const Stmt *S) {
  if (!S)
    return false;
  DeclarationName Member;
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    Member = ME->getMemberDecl()->getDeclName();
  else if (const auto *DME = dyn_cast<CXXDependentScopeMemberExpr>(S))
    Member = DME->getMember();
  else if (const auto *UME = dyn_cast<UnresolvedMemberExpr>(S))
    Member = UME->getMemberName();
  if (const IdentifierInfo *Name = Member.getAsIdentifierInfo();
      Name && Name->getName().starts_with("compare_exchange"))
    return true;
  for (const Stmt *Child : S->children())
    if (isRetryLoop(Child))
      return true;
  return false;
}

bool isConstantTrue(const Expr *Cond, ASTContext &Ctx) {
  bool Value = false;
  return !Cond || (!Cond->isValueDependent() &&
                   Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value);
}

/// True when S measures data (through the locals it reads): a container's
/// size(), strlen(), std::distance(). A number parsed from a request is not.
bool measuresData(const Stmt *S, unsigned Depth = 0) {
  if (!S || Depth > 4)
    return false;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && FD->getIdentifier()) {
      llvm::StringRef Name = FD->getName();
      if (Name == "size" || Name == "length" || Name == "size_bytes" ||
          Name == "ssize" || Name == "strlen" || Name == "strnlen" ||
          Name == "wcslen" || Name == "distance")
        return true;
    }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) && VD->getInit())
      return measuresData(VD->getInit(), Depth + 1);
  for (const Stmt *Child : S->children())
    if (measuresData(Child, Depth))
      return true;
  return false;
}

/// True when S subscripts something with an expression that reads Counter
/// (`data[i]`, `buf[i + 1]`, `rows.at(i)` is not: a subscript only).
bool indexesWith(const Stmt *S, const VarDecl *Counter) {
  if (!S || !Counter)
    return false;
  auto Reads = [&](const Expr *Index) {
    bool Found = false;
    std::function<void(const Stmt *)> Walk = [&](const Stmt *N) {
      if (!N || Found)
        return;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(N);
          DRE && DRE->getDecl() == Counter)
        Found = true;
      for (const Stmt *Child : N->children())
        Walk(Child);
    };
    Walk(Index);
    return Found;
  };
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(S);
      AS && Reads(AS->getIdx()))
    return true;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2 &&
      Reads(Op->getArg(1)))
    return true;
  for (const Stmt *Child : S->children())
    if (indexesWith(Child, Counter))
      return true;
  return false;
}

/// What decides a loop's trip count when a parameter does: a count (a
/// number the request carries: it can ask for any amount of work) or the
/// size of data (one pass over bytes or items already received).
struct LoopInput {
  std::string Text;
  bool IsCount = false;
};

std::optional<LoopInput> inputOf(const Stmt *Loop, ASTContext &Ctx) {
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(Loop)) {
    const Expr *Init = Range->getRangeInit();
    if (!Init ||
        isa<InitListExpr, CXXStdInitializerListExpr>(stripWrappers(Init)))
      return std::nullopt;
    QualType T = Init->getType().getNonReferenceType();
    if (Ctx.getAsConstantArrayType(T))
      return std::nullopt;
    if (const auto *RD = T->getAsCXXRecordDecl();
        RD && RD->getName() == "array" && RD->isInStdNamespace())
      return std::nullopt; // std::array: fixed and normally small
    if (dependsOnParameter(Init))
      return LoopInput{quoted(Init, Ctx), false};
    return std::nullopt;
  }
  const Expr *Cond = loopCondition(Loop);
  if (!Cond)
    return std::nullopt;
  const Expr *Bound = Cond;
  const VarDecl *Counter = nullptr;
  if (const auto *Cmp = dyn_cast<BinaryOperator>(stripWrappers(Cond));
      Cmp && Cmp->isComparisonOp()) {
    // `i < n`, `left > 0` (a counter that starts at the input), `n > i`.
    const Expr *Lhs = Cmp->getLHS(), *Rhs = Cmp->getRHS();
    if (constantInt(Rhs, Ctx))
      Bound = Lhs;
    else if (constantInt(Lhs, Ctx))
      Bound = Rhs;
    else
      Bound = dependsOnParameter(Rhs) ? Rhs : Lhs;
    Counter = referencedVar(Bound == Rhs ? Lhs : Rhs);
  } else if (const auto *Op =
                 dyn_cast<CXXOperatorCallExpr>(stripWrappers(Cond));
             Op && Op->getNumArgs() == 2) // iterator != end()
    Bound = Op->getArg(1);
  if (constantInt(Bound, Ctx) || !dependsOnParameter(Bound))
    return std::nullopt;
  // A counter that indexes a buffer walks data (the bytes a read returned);
  // one that indexes nothing counts work the request asked for.
  bool IsCount = Bound != Cond &&
                 Bound->IgnoreParenImpCasts()->getType()->isArithmeticType() &&
                 !measuresData(Bound) && !indexesWith(loopBody(Loop), Counter);
  return LoopInput{quoted(Bound, Ctx), IsCount};
}

/// The first loop inside Body (not in a lambda) whose trip count is also
/// input.
class InnerInputLoop : public RecursiveASTVisitor<InnerInputLoop> {
public:
  explicit InnerInputLoop(ASTContext &Ctx) : Ctx(Ctx) {}
  std::optional<LoopInput> Found;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitForStmt(ForStmt *L) { return check(L); }
  bool VisitWhileStmt(WhileStmt *L) { return check(L); }
  bool VisitDoStmt(DoStmt *L) { return check(L); }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *L) { return check(L); }

private:
  ASTContext &Ctx;
  bool check(const Stmt *Loop) {
    Found = inputOf(Loop, Ctx);
    return !Found;
  }
};

std::optional<LoopVerdict> huge(const Stmt *Loop, const LoopLimits &Limits,
                                ASTContext &Ctx) {
  uint64_t Span = 0;
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(Loop)) {
    const Expr *Init = Range->getRangeInit();
    if (!Init)
      return std::nullopt;
    const auto *Array =
        Ctx.getAsConstantArrayType(Init->getType().getNonReferenceType());
    if (!Array)
      return std::nullopt;
    Span = Array->getSize().getZExtValue();
  } else if (const auto *For = dyn_cast<ForStmt>(Loop)) {
    const auto *Cmp =
        dyn_cast_or_null<BinaryOperator>(stripWrappers(For->getCond()));
    if (!Cmp || !Cmp->isComparisonOp())
      return std::nullopt;
    const Expr *Lhs = Cmp->getLHS(), *Rhs = Cmp->getRHS();
    const VarDecl *Counter = referencedVar(Lhs);
    const Expr *Bound = Rhs;
    if (!Counter || constantInt(Lhs, Ctx)) {
      Counter = referencedVar(Rhs);
      Bound = Lhs;
    }
    std::optional<int64_t> Limit = constantInt(Bound, Ctx);
    if (!Limit)
      return std::nullopt;
    int64_t Start = initialValue(For->getInit(), Counter, Ctx).value_or(0);
    Span = uint64_t(*Limit > Start ? *Limit - Start : Start - *Limit);
  } else {
    return std::nullopt;
  }
  if (Span < static_cast<uint64_t>(Limits.MinIterations))
    return std::nullopt;
  return LoopVerdict{"huge", std::to_string(Span) + " iterations"};
}

std::optional<LoopVerdict> classify(const Stmt *Loop, const LoopLimits &Limits,
                                    ASTContext &Ctx) {
  if (auto Verdict = huge(Loop, Limits, Ctx))
    return Verdict;
  if (isRetryLoop(Loop))
    return std::nullopt; // ends when no other thread interferes
  const Expr *Cond = loopCondition(Loop);
  bool Endless = !isa<CXXForRangeStmt>(Loop) && isConstantTrue(Cond, Ctx);
  if (!Endless && Cond && constantInt(Cond, Ctx))
    return std::nullopt; // do { ... } while (0)
  LoopExits Out = loopExits(loopBody(Loop));
  if (Endless) {
    if (!Out.any())
      return LoopVerdict{"unbounded", isa<ForStmt>(Loop)
                                          ? "the loop has no exit"
                                          : "the loop condition is always true "
                                            "and nothing leaves the loop"};
    if (Out.Unconditional)
      return std::nullopt;
    if (!makesProgress(Loop, Out.Guards))
      return LoopVerdict{"unbounded",
                         "it waits for " + quoted(Out.Guards.front(), Ctx) +
                             " without suspending, and nothing in the loop "
                             "changes it"};
  } else if (Cond && !isa<ForStmt>(Loop) && !isPointerWalk(Cond, Ctx)) {
    llvm::SmallVector<const Expr *, 4> Conditions(Out.Guards);
    Conditions.push_back(Cond);
    if (!Out.Unconditional && !makesProgress(Loop, Conditions))
      return LoopVerdict{"unbounded", "it runs while " + quoted(Cond, Ctx) +
                                          " holds, and nothing in the loop "
                                          "changes that"};
  }
  std::optional<LoopInput> Input = inputOf(Loop, Ctx);
  if (!Input && Endless)
    for (const Expr *Guard : Out.Guards)
      if (dependsOnParameter(Guard)) {
        Input = LoopInput{quoted(Guard, Ctx), false};
        break;
      }
  if (!Input)
    return std::nullopt;
  if (Limits.FlagNestedInput) {
    InnerInputLoop Inner(Ctx);
    Inner.TraverseStmt(const_cast<Stmt *>(loopBody(Loop)));
    if (Inner.Found)
      return LoopVerdict{"nested", "nested loops over " + Input->Text +
                                       " and " + Inner.Found->Text +
                                       ", which depend on parameters"};
  }
  // A count from the request; one pass over data already received is not.
  if (Limits.FlagInputDependent && Input->IsCount)
    return LoopVerdict{"input-dependent",
                       "bound " + Input->Text + " depends on a parameter"};
  return std::nullopt;
}

} // namespace

std::optional<LoopVerdict>
classifyLoop(const Stmt *Loop, const LoopLimits &Limits, ASTContext &Ctx) {
  std::optional<LoopVerdict> V = classify(Loop, Limits, Ctx);
  if (V && V->Bound == "unbounded" && !Limits.FlagUnbounded)
    return std::nullopt;
  return V;
}

} // namespace stallhound
