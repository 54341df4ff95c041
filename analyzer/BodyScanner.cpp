//===- BodyScanner.cpp - Facts about one function body --------------------===//

#include "BodyScanner.h"

#include "AstNames.h"
#include "ExecutorSwitch.h"
#include "ExprFacts.h"
#include "FdOrigins.h"
#include "GilRegions.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace stallhound {

BodyScanner::BodyScanner(ASTContext &Ctx, const Config &Cfg,
                         const UserCode &User)
    : Ctx(Ctx), Cfg(Cfg), Rules(Cfg.Rules), User(User),
      CpuLoopRule(Rules.findByCheck(CheckKind::CpuLoop)),
      LockAcrossAwaitRule(Rules.findByCheck(CheckKind::LockAcrossAwait)),
      DiscardedTaskRule(Rules.findByCheck(CheckKind::DiscardedTask)) {
  if (CpuLoopRule) {
    Limits.MinIterations =
        CpuLoopRule->intOption("min_iterations", Limits.MinIterations);
    Limits.FlagInputDependent =
        CpuLoopRule->boolOption("input_dependent", Limits.FlagInputDependent);
    Limits.FlagUnbounded =
        CpuLoopRule->boolOption("unbounded", Limits.FlagUnbounded);
  }
  if (LockAcrossAwaitRule) {
    GuardTypes = LockAcrossAwaitRule->stringListOption("guard_types");
    NonSuspendingAwaits =
        LockAcrossAwaitRule->stringListOption("non_suspending_awaits");
  }
  if (DiscardedTaskRule)
    TaskTypes = DiscardedTaskRule->stringListOption("task_types");
}

bool BodyScanner::isTaskType(QualType T) const {
  if (T.isNull() || T->isVoidType())
    return false;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string Name = ruleName(RD);
  if (std::find(TaskTypes.begin(), TaskTypes.end(), Name) != TaskTypes.end())
    return true;
  if (!RD->hasDefinition())
    return false;
  auto Has = [&](StringRef Member) {
    return !RD->lookup(&Ctx.Idents.get(Member)).empty();
  };
  bool Awaitable =
      Has("await_ready") ||
      !RD->lookup(Ctx.DeclarationNames.getCXXOperatorName(OO_Coawait)).empty();
  return Has("promise_type") && Awaitable;
}

static FunctionFacts markOf(const FunctionDecl *FD, const SourceManager &SM) {
  FunctionFacts M;
  M.Id = functionId(FD, SM);
  M.Name = displayName(factsOwner(FD), SM);
  M.Loc = userLoc(FD->getLocation(), SM);
  return M;
}

void BodyScanner::markGilEntry(const FunctionDecl *FD) {
  Marked.push_back(markOf(FD, Ctx.getSourceManager()));
  Marked.back().IsGilEntry = true;
}

void BodyScanner::markHandler(const FunctionDecl *FD) {
  Marked.push_back(markOf(FD, Ctx.getSourceManager()));
  Marked.back().IsHandler = true;
}

std::vector<FunctionFacts> BodyScanner::takeMarkedEntries() {
  return std::exchange(Marked, {});
}

/// The arguments of a call as written, and the object it is made on.
struct CallShape {
  llvm::SmallVector<const Expr *, 6> Args;
  const Expr *Receiver = nullptr;
};

static CallShape shapeOf(const CallExpr *CE) {
  CallShape Shape;
  auto Args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
    Shape.Receiver = MCE->getImplicitObjectArgument();
  } else if (isa<CXXOperatorCallExpr>(CE) &&
             isa_and_nonnull<CXXMethodDecl>(CE->getDirectCallee()) &&
             !Args.empty()) {
    Shape.Receiver = Args.front();
    Args = Args.drop_front();
  } else if (!Args.empty()) {
    Shape.Receiver = Args.front();
  }
  Shape.Args.append(Args.begin(), Args.end());
  return Shape;
}

static bool hasAnnotation(const Decl *D, llvm::StringRef Text) {
  for (const auto *A : D->specific_attrs<AnnotateAttr>())
    if (A->getAnnotation() == Text)
      return true;
  return false;
}

/// Walks one body; nested lambdas and local classes are functions of their own.
class BodyWalker : public RecursiveASTVisitor<BodyWalker> {
  using Base = RecursiveASTVisitor<BodyWalker>;

public:
  BodyWalker(BodyScanner &S, FunctionFacts &F, const Stmt *Body)
      : S(S), Ctx(S.Ctx), SM(S.Ctx.getSourceManager()), F(F),
        Fds(Body, S.Ctx, &S.NonBlockingMembers), Gil(Body, S.Ctx) {}

  bool TraverseLambdaExpr(LambdaExpr *L) {
    // Captures are evaluated here; the body runs wherever the lambda goes.
    for (Expr *Init : L->capture_inits())
      if (Init)
        TraverseStmt(Init);
    return true;
  }
  bool TraverseBlockExpr(BlockExpr *) { return true; }
  bool TraverseDecl(Decl *D) {
    if (D && (isa<TagDecl>(D) || isa<FunctionDecl>(D)))
      return true;
    return Base::TraverseDecl(D);
  }

  bool VisitCoawaitExpr(CoawaitExpr *E) {
    if (auto Target = awaitedSwitch(E->getOperand()))
      OffLoop = *Target == ExecutorTarget::Pool;
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee) {
      noteUnresolvedCall(CE);
      return true;
    }
    CallShape Shape = shapeOf(CE);
    SourceLocation Loc = callLocation(CE);
    notePybindDefinition(Callee, CE);
    noteCallbackRegistration(Callee, CE);
    if (!noteBlocking(Callee, /*IsConstructor=*/false, Shape, Loc))
      noteUserCall(Callee, Loc);
    if (StatementCalls.contains(CE))
      noteDiscardedTask(CE, Callee);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (!Ctor)
      return true;
    CallShape Shape;
    for (const Expr *Arg : CE->arguments())
      if (!isa<CXXDefaultArgExpr>(Arg))
        Shape.Args.push_back(Arg);
    if (!noteBlocking(Ctor, /*IsConstructor=*/true, Shape, CE->getBeginLoc()) &&
        !Ctor->isImplicit())
      noteUserCall(Ctor, CE->getBeginLoc());
    return true;
  }

  bool VisitCompoundStmt(CompoundStmt *CS) {
    for (Stmt *Child : CS->body())
      if (const auto *E = dyn_cast<Expr>(Child))
        if (const auto *CE = dyn_cast<CallExpr>(stripWrappers(E)))
          StatementCalls.insert(CE);
    if (F.IsCoroutine && S.LockAcrossAwaitRule)
      checkGuardsAcrossAwait(CS);
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    // Only a task made by a call holds a coroutine; `task<> t;` holds none.
    const auto *CE = dyn_cast_or_null<CallExpr>(stripWrappers(VD->getInit()));
    const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
    if (S.DiscardedTaskRule && VD->isLocalVarDecl() && !VD->isReferenced() &&
        Callee && !VD->getType()->isReferenceType() &&
        S.isTaskType(VD->getType()))
      addSite(S.DiscardedTaskRule->Id, ruleName(Callee), VD->getLocation(),
              "stored in '" + VD->getNameAsString() + "' but never awaited");
    return true;
  }

  bool VisitForStmt(ForStmt *L) { return checkLoop(L); }
  bool VisitWhileStmt(WhileStmt *L) { return checkLoop(L); }
  bool VisitDoStmt(DoStmt *L) { return checkLoop(L); }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *L) { return checkLoop(L); }

private:
  BodyScanner &S;
  ASTContext &Ctx;
  const SourceManager &SM;
  FunctionFacts &F;
  FdOrigins Fds;
  GilRegions Gil;
  llvm::DenseSet<const CallExpr *> StatementCalls;
  // Set after `co_await asio::post(pool, ...)`: what follows runs on a pool.
  bool OffLoop = false;
  std::vector<SourceRange> FlaggedLoops;

  SourceLocation callLocation(const CallExpr *CE) {
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
      if (const auto *ME = dyn_cast<MemberExpr>(MCE->getCallee()))
        return ME->getMemberLoc();
    if (isa<CXXOperatorCallExpr>(CE))
      return CE->getExprLoc();
    return CE->getBeginLoc();
  }

  /// The new site, or nullptr when the same rule already flagged Loc.
  Site *addSite(const std::string &Rule, const std::string &Call,
                SourceLocation Loc, std::string Detail = "") {
    Site New{Rule, Call, userLoc(Loc, SM), std::move(Detail), {}, {}};
    for (const Site &Old : F.Sites)
      if (Old.Rule == New.Rule && Old.Loc == New.Loc)
        return nullptr;
    F.Sites.push_back(std::move(New));
    return &F.Sites.back();
  }

  enum class Verdict { NoMatch, NonBlocking, Blocking };

  Verdict evaluate(const CallPattern &P, const CallShape &Shape,
                   std::string &RuleId, std::string &FdMember) {
    if (Shape.Args.size() < P.MinArgs)
      return Verdict::NoMatch;
    if (!P.Receiver.empty() &&
        !(Shape.Receiver &&
          classOrBaseNamed(Shape.Receiver->IgnoreParenImpCasts()->getType(),
                           P.Receiver)))
      return Verdict::NoMatch;
    for (const Expr *Arg : Shape.Args)
      if (!P.UnlessArgType.empty() &&
          classOrBaseNamed(Arg->getType(), P.UnlessArgType))
        return Verdict::NonBlocking;
    auto Arg = [&](std::optional<unsigned> I) -> const Expr * {
      return I && *I < Shape.Args.size() ? Shape.Args[*I] : nullptr;
    };
    if (const Expr *Timeout = Arg(P.UnlessZeroArg);
        Timeout && isZeroValue(Timeout, Ctx))
      return Verdict::NonBlocking;
    if (const Expr *Flags = Arg(P.UnlessFlagsArg);
        Flags && mentionsAny(Flags, P.UnlessFlags, Ctx))
      return Verdict::NonBlocking;
    if (const Expr *Fd = Arg(P.FdArg)) {
      FdInfo Info = Fds.lookup(Fd);
      if (Info.NonBlocking)
        return Verdict::NonBlocking;
      // Another TU may make this member non-blocking: phase 2 decides.
      if (const FieldDecl *Member = FdOrigins::member(Fd))
        FdMember = declId(Member, SM);
      if (Info.Kind == FdKind::Socket && !P.OnSocket.empty())
        RuleId = P.OnSocket;
    }
    return Verdict::Blocking;
  }

  /// Records a blocking call when a rule matches; returns true when the callee
  /// was recognized by a rule (blocking or proven non-blocking).
  bool noteBlocking(const FunctionDecl *Callee, bool IsConstructor,
                    const CallShape &Shape, SourceLocation Loc) {
    std::string Name = ruleName(Callee);
    if (S.Cfg.isNonBlocking(Name) ||
        hasAnnotation(Callee, "stallhound::nonblocking"))
      return true;
    if (hasAnnotation(Callee, "stallhound::blocking")) {
      if (const Rule *Declared = S.Rules.find("declared-blocking");
          Declared && !OffLoop)
        if (Site *Added = addSite(Declared->Id, Name, Loc))
          Added->GilReleased = Gil.releasedAt(Loc);
      return true;
    }
    for (const PatternRef &Ref : S.Rules.callPatterns(Name, IsConstructor)) {
      std::string RuleId = Ref.R->Id;
      std::string FdMember;
      switch (evaluate(*Ref.P, Shape, RuleId, FdMember)) {
      case Verdict::NoMatch:
        continue;
      case Verdict::NonBlocking:
        return true;
      case Verdict::Blocking:
        if (!OffLoop)
          if (Site *Added = addSite(RuleId, Name, Loc)) {
            Added->GilReleased = Gil.releasedAt(Loc);
            Added->FdMember = std::move(FdMember);
          }
        return true;
      }
    }
    return false;
  }

  /// A call in a template whose callee depends on template parameters: match
  /// by name when every candidate has the same one.
  void noteUnresolvedCall(const CallExpr *CE) {
    const auto *ULE =
        dyn_cast<UnresolvedLookupExpr>(CE->getCallee()->IgnoreParenImpCasts());
    if (!ULE || ULE->getNumDecls() == 0 || OffLoop)
      return;
    std::string Name;
    for (const NamedDecl *D : ULE->decls()) {
      const NamedDecl *Under = D->getUnderlyingDecl();
      if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(Under))
        Under = FTD->getTemplatedDecl();
      std::string ThisName = ruleName(Under);
      if (!Name.empty() && ThisName != Name)
        return;
      Name = ThisName;
    }
    for (const PatternRef &Ref : S.Rules.callPatterns(Name, false))
      if (Ref.P->Receiver.empty() && CE->getNumArgs() >= Ref.P->MinArgs) {
        addSite(Ref.R->Id, Name, CE->getBeginLoc());
        return;
      }
  }

  void noteUserCall(const FunctionDecl *Callee, SourceLocation Loc) {
    if (OffLoop || !S.User.contains(Callee) || Callee->getBuiltinID() ||
        S.Cfg.isOffload(ruleName(Callee)))
      return;
    CallEdge Edge{functionId(Callee, SM), displayName(Callee, SM),
                  userLoc(Loc, SM)};
    Edge.GilReleased = Gil.releasedAt(Loc);
    for (const CallEdge &Old : F.Calls)
      if (Old.Callee == Edge.Callee && Old.Loc == Edge.Loc)
        return;
    F.Calls.push_back(std::move(Edge));
  }

  /// The function or lambda an argument names, if it names one.
  static const FunctionDecl *callableIn(const Expr *Arg) {
    const Expr *E = stripWrappers(Arg);
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
        Construct && Construct->getNumArgs() == 1) // std::function<...>(f)
      E = stripWrappers(Construct->getArg(0));
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      return L->getCallOperator();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<FunctionDecl>(DRE->getDecl());
    return nullptr;
  }

  /// Callbacks registered with the loop are handlers: the arguments named by
  /// the configuration's "handlers" (uv_timer_start, asio::post(io, f), ...),
  /// and the completion handler of asio's async_* operations.
  void noteCallbackRegistration(const FunctionDecl *Callee,
                                const CallExpr *CE) {
    std::string Name = ruleName(Callee);
    const Expr *Callback = nullptr;
    if (const CallableArgument *Entry = S.Cfg.handlerEntry(Name)) {
      CallShape Shape = shapeOf(CE);
      const auto &Args = Shape.Args;
      if (Entry->Arg >= Args.size())
        return;
      std::string First =
          Args.empty() ? "" : className(Args.front()->getType());
      for (const std::string &Like : Entry->UnlessFirstArgLike)
        if (First.find(Like) != std::string::npos)
          return;
      Callback = Args[Entry->Arg];
    } else if ((Name.rfind("boost::asio::", 0) == 0 ||
                Name.rfind("asio::", 0) == 0) &&
               Callee->getIdentifier() &&
               Callee->getName().starts_with("async_") &&
               CE->getNumArgs() > 0) {
      Callback = CE->getArg(CE->getNumArgs() - 1);
    }
    if (!Callback)
      return;
    if (const FunctionDecl *FD = callableIn(Callback);
        FD && S.User.contains(FD))
      S.markHandler(FD);
  }

  /// pybind11's m.def("name", f) and class_.def(...): f runs with the GIL.
  void notePybindDefinition(const FunctionDecl *Callee, const CallExpr *CE) {
    if (!Callee->getIdentifier() ||
        (Callee->getName() != "def" && Callee->getName() != "def_static") ||
        ruleName(Callee).rfind("pybind11::", 0) != 0)
      return;
    for (const Expr *Arg : CE->arguments()) {
      const Expr *E = stripWrappers(Arg);
      if (const auto *UO = dyn_cast<UnaryOperator>(E);
          UO && UO->getOpcode() == UO_AddrOf)
        E = UO->getSubExpr()->IgnoreParenImpCasts();
      if (const auto *L = dyn_cast<LambdaExpr>(E))
        S.markGilEntry(L->getCallOperator());
      else if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
        if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
          S.markGilEntry(FD);
    }
  }

  void noteDiscardedTask(const CallExpr *CE, const FunctionDecl *Callee) {
    if (!S.DiscardedTaskRule)
      return;
    bool CalleeIsCoroutine = false;
    if (const FunctionDecl *Def = Callee->getDefinition())
      CalleeIsCoroutine = isa_and_nonnull<CoroutineBodyStmt>(Def->getBody());
    QualType T = CE->getCallReturnType(Ctx);
    if (T->isReferenceType()) // emplace_back(), operator=: not a new task
      return;
    if (S.isTaskType(T) || (CalleeIsCoroutine && T->isRecordType()))
      addSite(S.DiscardedTaskRule->Id, ruleName(Callee), CE->getBeginLoc(), "");
  }

  static const char *loopKeyword(const Stmt *Loop) {
    if (isa<WhileStmt>(Loop))
      return "while";
    if (isa<DoStmt>(Loop))
      return "do";
    return "for";
  }

  bool checkLoop(Stmt *Loop) {
    if (!S.CpuLoopRule || OffLoop)
      return true;
    SourceRange Range = Loop->getSourceRange();
    for (const SourceRange &Outer : FlaggedLoops)
      if (SM.isBeforeInTranslationUnit(Outer.getBegin(), Range.getBegin()) &&
          SM.isBeforeInTranslationUnit(Range.getEnd(), Outer.getEnd()))
        return true; // already covered by the enclosing loop's finding
    if (containsSuspension(Loop, /*Yields=*/true))
      return true;
    if (auto Verdict = classifyLoop(Loop, S.Limits, Ctx)) {
      FlaggedLoops.push_back(Range);
      addSite(S.CpuLoopRule->Id, loopKeyword(Loop), Loop->getBeginLoc(),
              Verdict->Detail);
    }
    return true;
  }

  /// A guard variable declared at this level that holds a lock.
  const VarDecl *heldGuard(const Stmt *Child) {
    const auto *DS = dyn_cast<DeclStmt>(Child);
    if (!DS || !DS->isSingleDecl())
      return nullptr;
    const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl());
    if (!VD || !classOrBaseNamed(VD->getType(), S.GuardTypes))
      return nullptr;
    if (const auto *CE =
            dyn_cast_or_null<CXXConstructExpr>(stripWrappers(VD->getInit()))) {
      if (CE->getNumArgs() == 0)
        return nullptr;
      for (const Expr *Arg : CE->arguments())
        if (className(Arg->getType()) == "std::defer_lock_t")
          return nullptr;
    }
    return VD;
  }

  /// The first co_await in S, unless the guard is unlocked before it.
  class AwaitAfterGuard : public RecursiveASTVisitor<AwaitAfterGuard> {
  public:
    AwaitAfterGuard(const VarDecl *Guard,
                    const std::vector<std::string> &NonSuspending)
        : Guard(Guard), NonSuspending(NonSuspending) {}
    const Expr *Await = nullptr;
    bool Released = false;

    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitCoawaitExpr(CoawaitExpr *E) { return found(E); }
    bool VisitDependentCoawaitExpr(DependentCoawaitExpr *E) { return found(E); }
    bool VisitCoyieldExpr(CoyieldExpr *E) { return found(E); }
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MCE) {
      const auto *DRE = dyn_cast<DeclRefExpr>(
          stripWrappers(MCE->getImplicitObjectArgument()));
      const CXXMethodDecl *M = MCE->getMethodDecl();
      if (DRE && DRE->getDecl() == Guard && M && M->getIdentifier() &&
          (M->getName() == "unlock" || M->getName() == "release")) {
        Released = true;
        return false;
      }
      return true;
    }

  private:
    const VarDecl *Guard;
    const std::vector<std::string> &NonSuspending;

    bool found(const CoroutineSuspendExpr *E) {
      if (classOrBaseNamed(E->getOperand()->getType(), NonSuspending))
        return true; // e.g. co_await this_coro::executor never suspends
      Await = E;
      return false;
    }
    bool found(const DependentCoawaitExpr *E) {
      Await = E;
      return false;
    }
  };

  void checkGuardsAcrossAwait(const CompoundStmt *CS) {
    auto Body = CS->body();
    for (auto It = Body.begin(); It != Body.end(); ++It) {
      const VarDecl *Guard = heldGuard(*It);
      if (!Guard)
        continue;
      for (auto Next = std::next(It); Next != Body.end(); ++Next) {
        AwaitAfterGuard Finder(Guard, S.NonSuspendingAwaits);
        Finder.TraverseStmt(const_cast<Stmt *>(*Next));
        if (Finder.Released)
          break;
        if (!Finder.Await)
          continue;
        addSite(S.LockAcrossAwaitRule->Id, className(Guard->getType()),
                Finder.Await->getBeginLoc());
        Site &Added = F.Sites.back();
        if (Added.Rule == S.LockAcrossAwaitRule->Id && !Added.Related) {
          Added.Related = userLoc(Guard->getLocation(), SM);
          Added.RelatedNote = "lock '" + Guard->getNameAsString() +
                              "' acquired here is still held";
        }
        break;
      }
    }
  }
};

FunctionFacts BodyScanner::scan(const FunctionDecl *FD) {
  const SourceManager &SM = Ctx.getSourceManager();
  FunctionFacts F;
  F.Id = functionId(FD, SM);
  F.Name = displayName(factsOwner(FD), SM);
  F.Loc = userLoc(FD->getLocation(), SM);
  const Stmt *Body = FD->getBody();
  if (const auto *Coro = dyn_cast<CoroutineBodyStmt>(Body)) {
    F.IsCoroutine = true;
    Body = Coro->getBody();
    F.IsHandler = containsSuspension(Body, /*Yields=*/false);
  } else if (FD->isDependentContext()) {
    // An uninstantiated template: Sema builds no CoroutineBodyStmt yet.
    F.IsCoroutine = containsSuspension(Body, /*Yields=*/true);
    F.IsHandler = containsSuspension(Body, /*Yields=*/false);
  }
  if (hasAnnotation(FD, "stallhound::handler"))
    F.IsHandler = true;
  BodyWalker(*this, F, Body).TraverseStmt(const_cast<Stmt *>(Body));
  return F;
}

} // namespace stallhound
