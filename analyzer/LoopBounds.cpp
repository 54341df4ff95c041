//===- LoopBounds.cpp - How long a loop without suspension may run --------===//

#include "LoopBounds.h"

#include "ExprFacts.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

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
  std::string Text = sourceText(E, Ctx);
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

/// The pointer variable a null test reads (`p`, `!p`, `p == nullptr`).
const VarDecl *testedPointer(const Expr *Cond) {
  Cond = stripWrappers(Cond);
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot)
    Cond = stripWrappers(UO->getSubExpr());
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond); BO && BO->isEqualityOp())
    Cond = BO->getLHS();
  return referencedVar(Cond);
}

bool leavesLoop(const Stmt *S) {
  if (isa_and_nonnull<BreakStmt, ReturnStmt, CoreturnStmt>(S))
    return true;
  if (const auto *Block = dyn_cast_or_null<CompoundStmt>(S))
    return Block->size() == 1 && leavesLoop(Block->body_front());
  return false;
}

/// Whether S assigns Var, or declares it (anew each iteration).
bool assigns(const Stmt *S, const VarDecl *Var) {
  if (!S)
    return false;
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (D == Var)
        return true;
  if (const auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->isAssignmentOp() && referencedVar(BO->getLHS()) == Var)
    return true;
  for (const Stmt *Child : S->children())
    if (assigns(Child, Var))
      return true;
  return false;
}

/// `for (;;) { if (!p) break; ...; p = p->next; }`: an endless loop that is a
/// pointer walk written with its exit inside.
bool isPointerWalkWithExitInside(const Stmt *Body, ASTContext &Ctx) {
  const auto *Block = dyn_cast_or_null<CompoundStmt>(Body);
  if (!Block)
    return false;
  for (const Stmt *S : Block->body()) {
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If || !leavesLoop(If->getThen()) || !isPointerWalk(If->getCond(), Ctx))
      continue;
    if (const VarDecl *Pointer = testedPointer(If->getCond());
        Pointer && assigns(Body, Pointer))
      return true;
  }
  return false;
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

std::optional<LoopVerdict> inputDependent(const Expr *Bound, ASTContext &Ctx) {
  if (!dependsOnParameter(Bound))
    return std::nullopt;
  return LoopVerdict{"input-dependent",
                     "bound " + quoted(Bound, Ctx) + " depends on a parameter"};
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

std::optional<LoopVerdict>
classifyFor(const ForStmt *For, const LoopLimits &Limits, ASTContext &Ctx) {
  const Expr *Cond = For->getCond();
  if (isConstantTrue(Cond, Ctx)) {
    if (isPointerWalkWithExitInside(For->getBody(), Ctx))
      return std::nullopt;
    return LoopVerdict{"unbounded", "the loop has no exit condition"};
  }
  const auto *Cmp = dyn_cast<BinaryOperator>(stripWrappers(Cond));
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(stripWrappers(Cond));
      !Cmp && Op && Op->getNumArgs() == 2)
    return inputDependent(Op->getArg(1), Ctx); // iterator != end()
  if (!Cmp || !Cmp->isComparisonOp())
    return inputDependent(Cond, Ctx);
  const Expr *Lhs = Cmp->getLHS(), *Rhs = Cmp->getRHS();
  const VarDecl *Counter = referencedVar(Lhs);
  const Expr *Bound = Rhs;
  if (!Counter || constantInt(Lhs, Ctx)) {
    Counter = referencedVar(Rhs);
    Bound = Lhs;
  }
  std::optional<int64_t> Limit = constantInt(Bound, Ctx);
  if (!Limit)
    return inputDependent(Bound, Ctx);
  int64_t Start = initialValue(For->getInit(), Counter, Ctx).value_or(0);
  int64_t Span = *Limit > Start ? *Limit - Start : Start - *Limit;
  if (Span < Limits.MinIterations)
    return std::nullopt;
  return LoopVerdict{"huge", std::to_string(Span) + " iterations"};
}

std::optional<LoopVerdict> classifyRangeFor(const CXXForRangeStmt *For,
                                            const LoopLimits &Limits,
                                            ASTContext &Ctx) {
  const Expr *Range = For->getRangeInit();
  if (!Range)
    return std::nullopt;
  QualType T = Range->getType().getNonReferenceType();
  if (const auto *Array = Ctx.getAsConstantArrayType(T)) {
    uint64_t Size = Array->getSize().getZExtValue();
    if (Size < static_cast<uint64_t>(Limits.MinIterations))
      return std::nullopt;
    return LoopVerdict{"huge", std::to_string(Size) + " iterations"};
  }
  if (isa<InitListExpr>(stripWrappers(Range)) ||
      isa<CXXStdInitializerListExpr>(stripWrappers(Range)))
    return std::nullopt;
  if (const auto *RD = T->getAsCXXRecordDecl();
      RD && RD->getName() == "array" && RD->isInStdNamespace())
    return std::nullopt; // std::array: fixed and normally small
  if (!dependsOnParameter(Range))
    return std::nullopt;
  return LoopVerdict{"input-dependent", "iterates over " + quoted(Range, Ctx) +
                                            ", which depends on a parameter"};
}

} // namespace

std::optional<LoopVerdict>
classifyLoop(const Stmt *Loop, const LoopLimits &Limits, ASTContext &Ctx) {
  std::optional<LoopVerdict> V;
  if (const auto *For = dyn_cast<ForStmt>(Loop)) {
    V = classifyFor(For, Limits, Ctx);
  } else if (const auto *RangeFor = dyn_cast<CXXForRangeStmt>(Loop)) {
    V = classifyRangeFor(RangeFor, Limits, Ctx);
  } else {
    const Expr *Cond = isa<WhileStmt>(Loop) ? cast<WhileStmt>(Loop)->getCond()
                                            : cast<DoStmt>(Loop)->getCond();
    const Stmt *Body = isa<WhileStmt>(Loop) ? cast<WhileStmt>(Loop)->getBody()
                                            : cast<DoStmt>(Loop)->getBody();
    if (isRetryLoop(Loop) || isPointerWalkWithExitInside(Body, Ctx))
      V = std::nullopt; // ends when no other thread interferes, or at the end
    else if (isConstantTrue(Cond, Ctx))
      V = LoopVerdict{"unbounded", "the loop condition is always true"};
    else if (constantInt(Cond, Ctx) || isPointerWalk(Cond, Ctx) ||
             !dependsOnParameter(Cond))
      V = std::nullopt; // while (0), CAS retry, or state kept by the function
    else
      V = LoopVerdict{"input-dependent",
                      "runs while " + quoted(Cond, Ctx) +
                          " holds, which depends on a parameter"};
  }
  if (!V)
    return V;
  if (V->Bound == "input-dependent" && !Limits.FlagInputDependent)
    return std::nullopt;
  if (V->Bound == "unbounded" && !Limits.FlagUnbounded)
    return std::nullopt;
  return V;
}

} // namespace stallhound
