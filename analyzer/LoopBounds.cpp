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

LoopVerdict inputDependent(const Expr *Bound, ASTContext &Ctx) {
  return {"input-dependent",
          "bound " + quoted(Bound, Ctx) + " is not a compile-time constant"};
}

bool isConstantTrue(const Expr *Cond, ASTContext &Ctx) {
  bool Value = false;
  return !Cond || (!Cond->isValueDependent() &&
                   Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value);
}

std::optional<LoopVerdict>
classifyFor(const ForStmt *For, const LoopLimits &Limits, ASTContext &Ctx) {
  const Expr *Cond = For->getCond();
  if (isConstantTrue(Cond, Ctx))
    return LoopVerdict{"unbounded", "the loop has no exit condition"};
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
  return LoopVerdict{"input-dependent",
                     "iterates over " + quoted(Range, Ctx) +
                         ", whose size is only known at run time"};
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
    if (isConstantTrue(Cond, Ctx))
      V = LoopVerdict{"unbounded", "the loop condition is always true"};
    else if (constantInt(Cond, Ctx))
      V = std::nullopt; // while (0): runs at most once
    else
      V = LoopVerdict{"input-dependent",
                      "runs while " + quoted(Cond, Ctx) + " holds"};
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
