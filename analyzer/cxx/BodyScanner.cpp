//===- BodyScanner.cpp - Facts about one function body --------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

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

#include <functional>

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
    Limits.FlagNestedInput =
        CpuLoopRule->boolOption("nested_input", Limits.FlagNestedInput);
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

const FunctionKey &BodyScanner::keyOf(const FunctionDecl *FD) {
  auto It = Keys.find(FD);
  if (It == Keys.end())
    It = Keys.try_emplace(FD, functionKey(FD, Ctx.getSourceManager())).first;
  return It->second;
}

FunctionFacts BodyScanner::identity(const FunctionDecl *FD) {
  const SourceManager &SM = Ctx.getSourceManager();
  FunctionFacts F;
  const FunctionKey &Key = keyOf(FD);
  F.Id = Key.Id;
  F.Symbol = Key.Symbol;
  F.Name = displayName(factsOwner(FD), SM);
  F.Loc = userLoc(FD->getLocation(), SM);
  return F;
}

FunctionFacts &BodyScanner::mark(const FunctionDecl *FD) {
  Marked.push_back(identity(FD));
  return Marked.back();
}

void BodyScanner::markGilEntry(const FunctionDecl *FD) {
  mark(FD).IsGilEntry = true;
}

void BodyScanner::markLoopEntry(const FunctionDecl *FD) {
  mark(FD).IsLoopEntry = true;
}

void BodyScanner::markOffloaded(const FunctionDecl *FD) {
  mark(FD).IsOffloaded = true;
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

/// Library functions that wrap a callable without running it (binders,
/// moves): the callable is their first argument that names one.
static bool isCallableWrapper(const std::string &Name) {
  llvm::StringRef N(Name);
  llvm::StringRef Last =
      N.rsplit("::").second.empty() ? N : N.rsplit("::").second;
  return N == "std::move" || N == "std::forward" || Last == "bind" ||
         Last == "bind_front" || Last == "bind_back" ||
         Last == "bind_front_handler" || Last == "bind_handler" ||
         Last == "bind_executor" || Last == "bind_allocator" ||
         Last == "bind_cancellation_slot" || Last == "bind_immediate_executor";
}

/// Where a body first suspends, and its loops that suspend: code after the
/// first suspension, or in such a loop, runs where the coroutine resumed.
class SuspensionPoints : public OwnCodeVisitor<SuspensionPoints> {
public:
  SuspensionPoints(const Stmt *Body, const SourceManager &SM) : SM(SM) {
    if (Body)
      TraverseStmt(const_cast<Stmt *>(Body));
  }

  bool after(SourceLocation Loc) const {
    Loc = SM.getFileLoc(Loc);
    if (First.isValid() && SM.isBeforeInTranslationUnit(First, Loc))
      return true;
    for (const SourceRange &R : SuspendingLoops)
      if (SM.isBeforeInTranslationUnit(R.getBegin(), Loc) &&
          SM.isBeforeInTranslationUnit(Loc, R.getEnd()))
        return true;
    return false;
  }

  bool VisitCoawaitExpr(CoawaitExpr *E) { return note(E); }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr *E) { return note(E); }
  bool VisitCoyieldExpr(CoyieldExpr *E) { return note(E); }
  bool VisitForStmt(ForStmt *L) { return loop(L); }
  bool VisitWhileStmt(WhileStmt *L) { return loop(L); }
  bool VisitDoStmt(DoStmt *L) { return loop(L); }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *L) { return loop(L); }

private:
  const SourceManager &SM;
  SourceLocation First;
  std::vector<SourceRange> SuspendingLoops;

  /// The end of a suspension: its operand (`co_await f()`'s call) is
  /// evaluated before the coroutine suspends.
  bool note(const Expr *E) {
    SourceLocation Loc = SM.getFileLoc(E->getEndLoc());
    if (First.isInvalid() || SM.isBeforeInTranslationUnit(Loc, First))
      First = Loc;
    return true;
  }
  bool loop(const Stmt *L) {
    if (containsSuspension(L, /*Yields=*/true))
      SuspendingLoops.push_back(
          {SM.getFileLoc(L->getBeginLoc()), SM.getFileLoc(L->getEndLoc())});
    return true;
  }
};

/// A generator's promise yields values: its coroutine runs only as far as its
/// consumer pulls, on the consumer's thread.
static bool isGeneratorPromise(QualType Promise) {
  const CXXRecordDecl *RD = Promise->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  for (const Decl *D : RD->decls())
    if (const auto *ND = dyn_cast<NamedDecl>(D);
        ND && ND->getIdentifier() && ND->getName() == "yield_value")
      return true;
  return false;
}

/// True when Callee is a coroutine whose promise yields values (or returns
/// a type whose promise does): a generator, not a task.
static bool isGeneratorCall(const FunctionDecl *Callee, QualType Result) {
  if (const FunctionDecl *Definition = Callee->getDefinition())
    if (const auto *Coro =
            dyn_cast_or_null<CoroutineBodyStmt>(Definition->getBody()))
      if (const VarDecl *Promise = Coro->getPromiseDecl())
        return isGeneratorPromise(Promise->getType());
  const CXXRecordDecl *RD = Result.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  for (const Decl *D : RD->decls())
    if (const auto *Nested = dyn_cast<TypedefNameDecl>(D);
        Nested && Nested->getName() == "promise_type")
      return isGeneratorPromise(Nested->getUnderlyingType());
    else if (const auto *Class = dyn_cast<CXXRecordDecl>(D);
             Class && Class->getName() == "promise_type")
      return isGeneratorPromise(QualType(Class->getTypeForDecl(), 0));
  return false;
}

/// How a body starts the tasks it makes: `co_await f()` or `auto t = f();
/// co_await t;` awaits f; `auto t = f(); t.resume();` runs it here.
class TaskStarts : public RecursiveASTVisitor<TaskStarts> {
public:
  explicit TaskStarts(const Stmt *Body) {
    if (Body)
      TraverseStmt(const_cast<Stmt *>(Body));
  }

  llvm::DenseSet<const Expr *> Awaited, RunHere;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCoawaitExpr(CoawaitExpr *E) {
    if (const CallExpr *Made = taskCall(E->getOperand()))
      Awaited.insert(Made);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MCE) {
    const CXXMethodDecl *M = MCE->getMethodDecl();
    if (!M || !M->getIdentifier() || M->getName() != "resume" ||
        MCE->getNumArgs() != 0)
      return true;
    // t.resume(), or t.handle.resume() on the handle a task holds.
    const Expr *Task = stripWrappers(MCE->getImplicitObjectArgument());
    if (const auto *Field = dyn_cast_or_null<MemberExpr>(Task);
        Field && isa<FieldDecl>(Field->getMemberDecl()))
      Task = Field->getBase();
    if (const CallExpr *Made = taskCall(Task))
      RunHere.insert(Made);
    return true;
  }

private:
  /// The call that made a task: the expression itself, or the initializer
  /// of the local variable it names.
  static const CallExpr *taskCall(const Expr *E) {
    E = stripWrappers(E);
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
      if (const auto *Var = dyn_cast<VarDecl>(DRE->getDecl());
          Var && Var->hasLocalStorage() && !isa<ParmVarDecl>(Var))
        E = stripWrappers(Var->getInit());
    return dyn_cast_or_null<CallExpr>(E);
  }
};

/// Walks one body; nested lambdas and local classes are functions of their own.
class BodyWalker : public RecursiveASTVisitor<BodyWalker> {
  using Base = RecursiveASTVisitor<BodyWalker>;

public:
  BodyWalker(BodyScanner &S, FunctionFacts &F, const Stmt *Body)
      : S(S), Ctx(S.Ctx), SM(S.Ctx.getSourceManager()), F(F),
        Fds(Body, S.Ctx, &S.MemberFdFacts), Gil(Body, S.Ctx),
        Suspensions(Body, SM), Starts(Body) {}

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
    if (auto Target = awaitedSwitch(E->getOperand(), S.Cfg, S.WorkQueues))
      OffLoop = *Target == ExecutorTarget::Pool;
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee) {
      noteUnresolvedCall(CE);
      return true;
    }
    std::string Name = ruleName(Callee);
    CallShape Shape = shapeOf(CE);
    SourceLocation Loc = callLocation(CE);
    notePybindDefinition(Callee, CE);
    noteCallbackRegistration(Name, CE);
    if (!noteBlocking(Callee, Name, /*IsConstructor=*/false, Shape, Loc,
                      InitializedBy.lookup(CE)) &&
        !Spawned.contains(CE) && !noteStdFunctionCall(Name, CE, Loc))
      noteUserCall(Callee, Loc,
                   Starts.Awaited.contains(CE) ? CallStart::Awaited
                   : RunHere.contains(CE) || Starts.RunHere.contains(CE)
                       ? CallStart::RunHere
                       : CallStart::Call);
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
    if (!noteBlocking(Ctor, ruleName(Ctor), /*IsConstructor=*/true, Shape,
                      CE->getBeginLoc(), InitializedBy.lookup(CE)) &&
        !Ctor->isImplicit())
      noteUserCall(Ctor, CE->getBeginLoc());
    return true;
  }

  // Code after a return in the same block never runs (`return; // remove
  // this line to run the demo server`): it registers nothing, blocks nothing.
  bool TraverseCompoundStmt(CompoundStmt *CS) {
    if (!WalkUpFromCompoundStmt(CS))
      return false;
    bool Reachable = true;
    for (Stmt *Child : CS->body()) {
      if (isa<LabelStmt, SwitchCase>(Child))
        Reachable = true; // a goto or a case may jump here
      if (Reachable && !TraverseStmt(Child))
        return false;
      if (isa<ReturnStmt, CoreturnStmt, CXXThrowExpr, GotoStmt, BreakStmt,
              ContinueStmt>(Child))
        Reachable = false;
    }
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
    if (const Expr *Init = stripWrappers(VD->getInit()))
      InitializedBy[Init] = VD;
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

  bool VisitBinaryOperator(BinaryOperator *BO) {
    // `f = fopen(...)`: later calls on f are calls on the same object.
    if (BO->getOpcode() == BO_Assign)
      if (const ValueDecl *Target = FdOrigins::variable(BO->getLHS()))
        InitializedBy[stripWrappers(BO->getRHS())] = Target;
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
  SuspensionPoints Suspensions;
  TaskStarts Starts;
  llvm::DenseSet<const CallExpr *> StatementCalls;
  // Calls that make a task only to hand it to an executor (co_spawn(ex,
  // f(), ...)): f's body runs there, not here.
  llvm::DenseSet<const Expr *> Spawned;
  // Calls that make a task to run it here and now (sync_wait(task())).
  llvm::DenseSet<const Expr *> RunHere;
  // The variable a call or construction initializes or is assigned to.
  llvm::DenseMap<const Expr *, const ValueDecl *> InitializedBy;
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
    New.AfterSuspend = Suspensions.after(Loc);
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
    // socket.non_blocking(true), or an fd set O_NONBLOCK: the object's own
    // I/O returns instead of waiting.
    const Expr *Object = P.FdArg ? Arg(P.FdArg) : Shape.Receiver;
    if (Object) {
      FdInfo Info = Fds.lookup(Object);
      if (Info.NonBlocking)
        return Verdict::NonBlocking;
      // Another TU may make this member non-blocking: phase 2 decides.
      if (const FieldDecl *Member = FdOrigins::member(Object))
        FdMember = declId(Member, SM);
      if (P.FdArg && Info.Kind == FdKind::Socket && !P.OnSocket.empty())
        RuleId = P.OnSocket;
    }
    return Verdict::Blocking;
  }

  /// The variable or member a blocking call works on: the one it
  /// initializes (an ofstream, fopen's FILE *), the object of a member call
  /// or of a stream operator, its descriptor or FILE * argument. Calls on
  /// one object in one function are one finding.
  std::string objectOf(const CallShape &Shape, const CallPattern &P,
                       bool IsMemberCall, const ValueDecl *Initialized) {
    auto Named = [](const Expr *E) -> const ValueDecl * {
      E = stripWrappers(E);
      if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E);
          UO && UO->getOpcode() == UO_AddrOf) // pthread_mutex_lock(&m)
        E = stripWrappers(UO->getSubExpr());
      if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
        return dyn_cast<VarDecl>(DRE->getDecl());
      if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
        return dyn_cast<FieldDecl>(ME->getMemberDecl());
      return nullptr;
    };
    // A member call works on its object; a stream operator on its stream; a
    // descriptor or FILE * function on that; a constructor or fopen() on
    // what it initializes.
    const ValueDecl *Object = nullptr;
    if (P.ObjectArg && *P.ObjectArg < Shape.Args.size())
      Object = Named(Shape.Args[*P.ObjectArg]);
    if (!Object && Shape.Receiver && (IsMemberCall || !P.Receiver.empty()))
      Object = Named(Shape.Receiver);
    if (!Object && P.FdArg && *P.FdArg < Shape.Args.size())
      Object = Named(Shape.Args[*P.FdArg]);
    for (const Expr *Arg : Shape.Args) {
      if (Object || IsMemberCall)
        break;
      QualType T = Arg->IgnoreParenImpCasts()->getType();
      if (T->isPointerType())
        if (const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
            RD && RD->getName() == "_IO_FILE")
          Object = Named(Arg);
    }
    if (!Object && !IsMemberCall)
      Object = Initialized;
    if (!Object)
      return "";
    // A local (or a coroutine's copy of a parameter) by where it is declared.
    if (const auto *Var = dyn_cast<VarDecl>(Object);
        Var && Var->hasLocalStorage()) {
      SourceLoc L = userLoc(Var->getLocation(), SM);
      return "local " + L.File + ":" + std::to_string(L.Line) + ":" +
             std::to_string(L.Column);
    }
    return declId(Object, SM);
  }

  /// Records a blocking call when a rule matches; returns true when the callee
  /// was recognized by a rule (blocking or proven non-blocking).
  bool noteBlocking(const FunctionDecl *Callee, const std::string &Name,
                    bool IsConstructor, const CallShape &Shape,
                    SourceLocation Loc, const ValueDecl *Initialized) {
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
            Added->Object = objectOf(
                Shape, *Ref.P, isa<CXXMethodDecl>(Callee) && !IsConstructor,
                Initialized);
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

  void noteUserCall(const FunctionDecl *Callee, SourceLocation Loc,
                    CallStart Start = CallStart::Call) {
    if (!S.User.contains(Callee) || Callee->getBuiltinID() ||
        S.Cfg.isOffload(ruleName(Callee)))
      return;
    if (OffLoop) {
      // A coroutine awaited after a switch to a pool runs on the pool.
      if (isCoroutine(Callee) || S.isTaskType(Callee->getReturnType()))
        S.markOffloaded(Callee);
      return;
    }
    const FunctionKey &Key = S.keyOf(Callee);
    CallEdge Edge{Key.Id, Key.Symbol, displayName(Callee, SM),
                  userLoc(Loc, SM)};
    Edge.GilReleased = Gil.releasedAt(Loc);
    Edge.Start = Start;
    Edge.AfterSuspend = Suspensions.after(Loc);
    for (const CallEdge &Old : F.Calls)
      if (Old.CalleeSymbol == Edge.CalleeSymbol && Old.Loc == Edge.Loc)
        return;
    F.Calls.push_back(std::move(Edge));
  }

  /// `std::function<void()> f = [] {...}; f();`: the call runs the callable
  /// the variable was initialized with, when the function can see it.
  bool noteStdFunctionCall(const std::string &Name, const CallExpr *CE,
                           SourceLocation Loc) {
    if (Name != "std::function::operator()" || CE->getNumArgs() == 0)
      return false;
    bool Found = false;
    for (const FunctionDecl *Target : callablesIn(CE->getArg(0)))
      if (S.User.contains(Target)) {
        noteUserCall(Target, Loc);
        Found = true;
      }
    return Found;
  }

  /// The functions an argument can run: a lambda, a function or member
  /// function (also through std::bind and the like), a function object's
  /// operator(), a coroutine called to make the task being spawned, or a
  /// local variable initialized with one of these.
  llvm::SmallVector<const FunctionDecl *, 2>
  callablesIn(const Expr *Arg, const CallExpr **SpawnCall = nullptr,
              unsigned Depth = 0) {
    llvm::SmallVector<const FunctionDecl *, 2> Out;
    if (!Arg || Depth > 4)
      return Out;
    const Expr *E = stripWrappers(Arg);
    if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(E))
      return callablesIn(Default->getExpr(), SpawnCall, Depth + 1);
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf)
      E = stripWrappers(UO->getSubExpr());
    if (const auto *L = dyn_cast<LambdaExpr>(E)) {
      Out.push_back(L->getCallOperator());
      return Out;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
        Out.push_back(FD);
        return Out;
      }
      if (const auto *Var = dyn_cast<VarDecl>(DRE->getDecl());
          Var && Var->hasLocalStorage() && !isa<ParmVarDecl>(Var) &&
          Var->getInit())
        return callablesIn(Var->getInit(), nullptr, Depth + 1);
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (!Callee)
        return Out;
      // task.handle(): the coroutine the task holds.
      if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
          Member && Callee->getIdentifier() && Callee->getName() == "handle")
        return callablesIn(Member->getImplicitObjectArgument(), SpawnCall,
                           Depth + 1);
      if (S.isTaskType(Callee->getReturnType()) || isCoroutine(Callee)) {
        if (SpawnCall)
          *SpawnCall = Call;
        Out.push_back(Callee);
        return Out;
      }
      if (isCallableWrapper(ruleName(Callee)))
        for (const Expr *Inner : Call->arguments())
          if (auto Found = callablesIn(Inner, SpawnCall, Depth + 1);
              !Found.empty())
            return Found;
      return Out;
    }
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
        Construct && Construct->getNumArgs() == 1) // std::function<...>(f)
      if (auto Found = callablesIn(Construct->getArg(0), SpawnCall, Depth + 1);
          !Found.empty())
        return Found;
    // A function object: `*this`, a handler struct, std::move(handler).
    QualType T = E->getType().getNonReferenceType();
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
        RD && RD->hasDefinition() && S.User.contains(RD))
      for (const NamedDecl *D :
           RD->lookup(Ctx.DeclarationNames.getCXXOperatorName(OO_Call))) {
        const NamedDecl *Under = D->getUnderlyingDecl();
        if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(Under))
          Under = FTD->getTemplatedDecl();
        if (const auto *Method = dyn_cast<CXXMethodDecl>(Under))
          Out.push_back(Method);
      }
    return Out;
  }

  static bool isCoroutine(const FunctionDecl *FD) {
    const FunctionDecl *Definition = FD->getDefinition();
    return Definition &&
           isa_and_nonnull<CoroutineBodyStmt>(Definition->getBody());
  }

  /// Callbacks registered with the loop are handlers: the arguments named by
  /// the configuration's "handlers" (uv_timer_start, asio::post(io, f),
  /// co_spawn(io, task, ...), the completion handler of asio's async_*).
  /// Given to an offload executor or to an "offload" function, they run
  /// elsewhere.
  void noteCallbackRegistration(const std::string &Name, const CallExpr *CE) {
    bool Offloaded = false, InCaller = false;
    const CallableArgument *Entry = S.Cfg.handlerEntry(Name);
    if (!Entry && (Entry = S.Cfg.offloadEntry(Name)))
      Offloaded = true;
    if (!Entry && (Entry = S.Cfg.runInCallerEntry(Name)))
      InCaller = true;
    if (!Entry)
      return;
    CallShape Shape = shapeOf(CE);
    const auto &Args = Shape.Args;
    // "last" is the last argument written: SFINAE parameters have defaults.
    size_t Written = 0;
    while (Written < Args.size() && !isa<CXXDefaultArgExpr>(Args[Written]))
      ++Written;
    if (Written == 0)
      return;
    size_t Index = Entry->Arg < 0 ? Written - 1 : size_t(Entry->Arg);
    if (Index >= Args.size())
      return;
    std::string First = className(Args.front()->getType());
    for (const std::string &Like : Entry->UnlessFirstArgLike)
      if (First.find(Like) != std::string::npos)
        Offloaded = true;
    if (Entry->ExecutorArg && *Entry->ExecutorArg < Args.size() &&
        *Entry->ExecutorArg != Index &&
        isOffloadExecutor(Args[*Entry->ExecutorArg], S.Cfg, S.WorkQueues))
      Offloaded = true;
    const CallExpr *SpawnCall = nullptr;
    for (const FunctionDecl *FD : callablesIn(Args[Index], &SpawnCall)) {
      if (!S.User.contains(FD))
        continue;
      if (InCaller) { // here and now: an edge from this function
        if (!SpawnCall)
          noteUserCall(FD, callLocation(CE), CallStart::RunHere);
      } else if (Offloaded) {
        S.markOffloaded(FD);
      } else {
        S.markLoopEntry(FD);
      }
    }
    if (SpawnCall)
      (InCaller ? RunHere : Spawned).insert(SpawnCall);
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
    // A builtin never returns a task; a type-dependent call has no type yet
    // (getCallReturnType reads uninitialized state for some of them).
    if (!S.DiscardedTaskRule || Callee->getBuiltinID() || CE->isTypeDependent())
      return;
    QualType T = CE->getCallReturnType(Ctx);
    if (T.isNull() || T->isReferenceType()) // emplace_back(), operator=
      return;
    if (isGeneratorCall(Callee, T)) // nothing to run until it is pulled
      return;
    if (S.isTaskType(T) || (isCoroutine(Callee) && T->isRecordType()))
      addSite(S.DiscardedTaskRule->Id, ruleName(Callee), CE->getBeginLoc(), "");
  }

  /// A loop that only makes tasks and stores them (for a collectAll that
  /// awaits them afterwards) does no work: the work runs when they are awaited.
  bool onlyMakesTasks(const Stmt *Loop) {
    bool MakesTask = false, DoesMore = false;
    std::function<void(const Stmt *)> Walk = [&](const Stmt *N) {
      if (!N || DoesMore || isa<LambdaExpr>(N))
        return;
      if (const auto *Call = dyn_cast<CallExpr>(N)) {
        const FunctionDecl *Callee = Call->getDirectCallee();
        llvm::StringRef Name = Callee && Callee->getIdentifier()
                                   ? Callee->getName()
                                   : llvm::StringRef();
        const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Callee);
        if (Callee &&
            (isCoroutine(Callee) || S.isTaskType(Callee->getReturnType())))
          MakesTask = true;
        else if (Method && Method->isConst())
          ; // s.c_str() for an argument: an observer does no work
        else if (!isa<CXXMemberCallExpr>(Call) ||
                 !(Name == "push_back" || Name == "emplace_back" ||
                   Name == "push" || Name == "emplace" || Name == "insert"))
          DoesMore = true;
      }
      for (const Stmt *Child : N->children())
        Walk(Child);
    };
    if (const auto *For = dyn_cast<ForStmt>(Loop))
      Walk(For->getBody());
    else if (const auto *Range = dyn_cast<CXXForRangeStmt>(Loop))
      Walk(Range->getBody());
    else
      return false;
    return MakesTask && !DoesMore;
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
    // A loop a library's macro writes (asio's stackless coroutines) is the
    // library's control flow.
    if (SourceLocation Begin = Loop->getBeginLoc();
        Begin.isMacroID() && !S.User.containsLocation(SM.getSpellingLoc(Begin)))
      return true;
    SourceRange Range = Loop->getSourceRange();
    for (const SourceRange &Outer : FlaggedLoops)
      if (SM.isBeforeInTranslationUnit(Outer.getBegin(), Range.getBegin()) &&
          SM.isBeforeInTranslationUnit(Range.getEnd(), Outer.getEnd()))
        return true; // already covered by the enclosing loop's finding
    if (containsSuspension(Loop, /*Yields=*/true) || onlyMakesTasks(Loop))
      return true;
    if (auto Verdict = classifyLoop(Loop, S.Limits, Ctx)) {
      FlaggedLoops.push_back(Range);
      addSite(S.CpuLoopRule->Id, loopKeyword(Loop), Loop->getBeginLoc(),
              Verdict->Detail);
    }
    return true;
  }

  /// A lock taken at this level of a block: a guard variable, or a
  /// `m.lock()` statement on a mutex.
  struct HeldLock {
    const ValueDecl *Holder = nullptr; // the guard, or the mutex itself
    const ValueDecl *Mutex = nullptr;  // what the guard locks, when known
    std::string Type;                  // for the message
    SourceLocation Taken;
  };

  /// A lock a coroutine acquired with co_await (`co_await m.scoped_lock()`)
  /// is coroutine-aware: holding it across co_await is how it is meant to be
  /// used.
  std::optional<HeldLock> heldLock(const Stmt *Child) {
    if (const auto *Lock = dyn_cast<CXXMemberCallExpr>(Child)) {
      const CXXMethodDecl *M = Lock->getMethodDecl();
      const ValueDecl *Mutex =
          FdOrigins::variable(Lock->getImplicitObjectArgument());
      if (!M || !M->getIdentifier() || !Mutex ||
          (M->getName() != "lock" && M->getName() != "lock_shared") ||
          !M->getReturnType()->isVoidType())
        return std::nullopt;
      return HeldLock{Mutex, Mutex,
                      className(Lock->getImplicitObjectArgument()->getType()),
                      Lock->getExprLoc()};
    }
    const auto *DS = dyn_cast<DeclStmt>(Child);
    if (!DS || !DS->isSingleDecl())
      return std::nullopt;
    const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl());
    if (!VD || !classOrBaseNamed(VD->getType(), S.GuardTypes))
      return std::nullopt;
    if (coroutineKeywords(VD->getInit()).Await)
      return std::nullopt;
    HeldLock Lock{VD, nullptr, className(VD->getType()), VD->getLocation()};
    if (const auto *CE =
            dyn_cast_or_null<CXXConstructExpr>(stripWrappers(VD->getInit()))) {
      if (CE->getNumArgs() == 0)
        return std::nullopt;
      for (const Expr *Arg : CE->arguments())
        if (className(Arg->getType()) == "std::defer_lock_t")
          return std::nullopt;
      Lock.Mutex = FdOrigins::variable(CE->getArg(0));
    }
    return Lock;
  }

  /// The first co_await in S, unless the lock is released before it. An await
  /// that is given the lock or its mutex (a coroutine condition variable's
  /// `co_await cv.wait(lock)`) releases it while it waits.
  class AwaitAfterLock : public RecursiveASTVisitor<AwaitAfterLock> {
  public:
    AwaitAfterLock(const HeldLock &Lock,
                   const std::vector<std::string> &NonSuspending)
        : Lock(Lock), NonSuspending(NonSuspending) {}
    const Expr *Await = nullptr;
    bool Released = false;

    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitCoawaitExpr(CoawaitExpr *E) { return found(E, E->getOperand()); }
    bool VisitDependentCoawaitExpr(DependentCoawaitExpr *E) {
      return found(E, E->getOperand());
    }
    bool VisitCoyieldExpr(CoyieldExpr *E) { return found(E, E->getOperand()); }
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MCE) {
      const CXXMethodDecl *M = MCE->getMethodDecl();
      if (M && M->getIdentifier() &&
          FdOrigins::variable(MCE->getImplicitObjectArgument()) ==
              Lock.Holder &&
          (M->getName() == "unlock" || M->getName() == "unlock_shared" ||
           M->getName() == "release")) {
        Released = true;
        return false;
      }
      return true;
    }

  private:
    const HeldLock &Lock;
    const std::vector<std::string> &NonSuspending;

    bool mentionsLock(const Stmt *S) const {
      if (!S)
        return false;
      if (const auto *E = dyn_cast<Expr>(S))
        if (const ValueDecl *V = FdOrigins::variable(E);
            V && (V == Lock.Holder || V == Lock.Mutex))
          return true;
      for (const Stmt *Child : S->children())
        if (mentionsLock(Child))
          return true;
      return false;
    }

    bool found(const Expr *E, const Expr *Operand) {
      if (isa<CoroutineSuspendExpr>(E) &&
          classOrBaseNamed(Operand->getType(), NonSuspending))
        return true; // e.g. co_await this_coro::executor never suspends
      if (mentionsLock(Operand)) {
        Released = true;
        return false;
      }
      Await = E;
      return false;
    }
  };

  void checkGuardsAcrossAwait(const CompoundStmt *CS) {
    auto Body = CS->body();
    for (auto It = Body.begin(); It != Body.end(); ++It) {
      std::optional<HeldLock> Lock = heldLock(*It);
      if (!Lock)
        continue;
      for (auto Next = std::next(It); Next != Body.end(); ++Next) {
        AwaitAfterLock Finder(*Lock, S.NonSuspendingAwaits);
        Finder.TraverseStmt(const_cast<Stmt *>(*Next));
        if (Finder.Released)
          break;
        if (!Finder.Await)
          continue;
        if (Site *Added = addSite(S.LockAcrossAwaitRule->Id, Lock->Type,
                                  Finder.Await->getBeginLoc())) {
          Added->Related = userLoc(Lock->Taken, SM);
          Added->RelatedNote = "lock '" + Lock->Holder->getNameAsString() +
                               "' acquired here is still held";
        }
        break;
      }
    }
  }
};

FunctionFacts BodyScanner::scan(const FunctionDecl *FD) {
  const SourceManager &SM = Ctx.getSourceManager();
  FunctionFacts F = identity(FD);
  const Stmt *Body = FD->getBody();
  if (!Body) // a template whose parsing is delayed
    return F;
  if (const auto *Coro = dyn_cast<CoroutineBodyStmt>(Body)) {
    // Every coroutine that returns a task runs where it is started, whatever
    // its body contains; a generator that never awaits does not.
    F.IsCoroutine = true;
    Body = Coro->getBody();
    const VarDecl *Promise = Coro->getPromiseDecl();
    F.IsHandler = containsSuspension(Body, /*Yields=*/false) || !Promise ||
                  !isGeneratorPromise(Promise->getType());
  } else if (FD->isDependentContext()) {
    // An uninstantiated template: Sema builds no CoroutineBodyStmt yet.
    CoroutineKeywords Keywords = coroutineKeywords(Body);
    F.IsCoroutine = Keywords.any();
    F.IsHandler = Keywords.Await || (Keywords.Return && !Keywords.Yield);
  }
  if (hasAnnotation(FD, "stallhound::handler"))
    F.IsLoopEntry = true;
  BodyWalker(*this, F, Body).TraverseStmt(const_cast<Stmt *>(Body));
  return F;
}

} // namespace stallhound
