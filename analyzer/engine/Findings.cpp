//===- Findings.cpp - Phase 2: merge facts and report per handler ---------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Findings.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace stallhound {

namespace {

enum class Exposure : uint8_t { None, AfterResume, Full };

/// The whole program: every function defined anywhere, merged by id, with
/// its calls resolved to definitions.
struct Program {
  std::vector<FunctionFacts> Functions;
  std::vector<std::vector<std::string>> UnitsOf; // link units, sorted
  // Per function: the callee's index and the call, for calls that resolve.
  std::vector<std::vector<std::pair<size_t, const CallEdge *>>> Callees;
  size_t AmbiguousCalls = 0;
  std::vector<Exposure> Exposed; // see markExposure

  bool isHandler(size_t I) const { return Exposed[I] != Exposure::None; }
};

/// Where a coroutine runs follows from how it is started. The loop runs what
/// is registered with it (Full), and a task started in a way the analysis
/// cannot follow (a plain call whose task is stored or handed on). A task
/// awaited or run with sync_wait runs where its starter runs: on the loop if
/// the starter does, else on the starter's thread until it first suspends,
/// and then where it resumes, which is the loop that completed what it
/// awaited (AfterResume). A task only ever started on a pool is None.
void markExposure(Program &P) {
  size_t N = P.Functions.size();
  P.Exposed.assign(N, Exposure::None);
  std::vector<bool> Started(N, false), UnknownStart(N, false);
  for (size_t I = 0; I < N; ++I) {
    std::set<size_t> RunOrAwaited;
    for (const auto &[Callee, Call] : P.Callees[I])
      if (Call->Start != CallStart::Call)
        RunOrAwaited.insert(Callee);
    for (const auto &[Callee, Call] : P.Callees[I]) {
      Started[Callee] = true;
      // `auto t = task(); ... t.resume();` in one caller: not unknown.
      if (Call->Start == CallStart::Call && !RunOrAwaited.count(Callee))
        UnknownStart[Callee] = true;
    }
  }
  std::vector<size_t> Work;
  auto Raise = [&](size_t I, Exposure E) {
    if (E > P.Exposed[I]) {
      P.Exposed[I] = E;
      Work.push_back(I);
    }
  };
  for (size_t I = 0; I < N; ++I) {
    const FunctionFacts &F = P.Functions[I];
    bool Task = F.IsHandler && !F.IsOffloaded;
    if (F.IsLoopEntry || (Task && (UnknownStart[I] || !Started[I])))
      Raise(I, Exposure::Full);
    else
      Work.push_back(I); // its RunHere starts count even when it is None
  }
  while (!Work.empty()) {
    size_t I = Work.back();
    Work.pop_back();
    for (const auto &[Callee, Call] : P.Callees[I]) {
      const FunctionFacts &T = P.Functions[Callee];
      if (!T.IsCoroutine && !T.IsHandler)
        continue; // a plain function is walked as part of its caller
      Exposure From = P.Exposed[I];
      Exposure E = From == Exposure::Full ||
                           (From == Exposure::AfterResume && Call->AfterSuspend)
                       ? Exposure::Full
                       : From;
      if (Call->Start == CallStart::RunHere && E == Exposure::None)
        E = Exposure::AfterResume;
      Raise(Callee, E);
    }
  }
}

bool sharesUnit(const std::vector<std::string> &A,
                const std::vector<std::string> &B) {
  for (const std::string &Unit : A)
    if (std::binary_search(B.begin(), B.end(), Unit))
      return true;
  return false;
}

class ProgramBuilder {
public:
  Program build(const std::vector<TuFacts> &Units) {
    std::set<std::string> NonBlockingMembers;
    std::vector<std::pair<const FunctionFacts *, const std::string *>> Marks;
    for (const TuFacts &Unit : Units) {
      NonBlockingMembers.insert(Unit.NonBlockingMembers.begin(),
                                Unit.NonBlockingMembers.end());
      for (const SymbolAlias &A : Unit.Aliases)
        Aliases.try_emplace(A.Name, A.Target);
      for (const FunctionFacts &F : Unit.Functions) {
        if (F.Id.empty()) {
          Marks.push_back({&F, &Unit.LinkUnit});
          continue;
        }
        auto [It, Inserted] = ById.try_emplace(F.Id, P.Functions.size());
        if (Inserted) {
          P.Functions.push_back(F);
          P.UnitsOf.emplace_back();
          BySymbol[F.Symbol].push_back(It->second);
        } else {
          P.Functions[It->second].mergeFrom(F);
        }
        auto &UnitList = P.UnitsOf[It->second];
        if (std::find(UnitList.begin(), UnitList.end(), Unit.LinkUnit) ==
            UnitList.end())
          UnitList.push_back(Unit.LinkUnit);
      }
    }
    for (auto &UnitList : P.UnitsOf)
      std::sort(UnitList.begin(), UnitList.end());
    // What a TU marked on a function it only declares (a callback it
    // registers, a coroutine it spawns) applies to the definition it links.
    for (const auto &[Mark, Unit] : Marks)
      if (auto Target = resolve("", Mark->Symbol, {*Unit})) {
        FunctionFacts &F = P.Functions[*Target];
        F.IsLoopEntry |= Mark->IsLoopEntry;
        F.IsOffloaded |= Mark->IsOffloaded;
        F.IsGilEntry |= Mark->IsGilEntry;
      }
    P.Callees.resize(P.Functions.size());
    for (size_t I = 0; I < P.Functions.size(); ++I) {
      FunctionFacts &F = P.Functions[I];
      // A call on a member that another TU makes non-blocking does not block.
      if (!NonBlockingMembers.empty())
        std::erase_if(F.Sites, [&](const Site &S) {
          return !S.FdMember.empty() && NonBlockingMembers.count(S.FdMember);
        });
      for (const CallEdge &Call : F.Calls)
        if (auto Target = resolve(Call.Callee, Call.CalleeSymbol, P.UnitsOf[I]))
          P.Callees[I].push_back({*Target, &Call});
    }
    addDiscardedCoroutines();
    markExposure(P);
    return std::move(P);
  }

private:
  Program P;
  std::unordered_map<std::string, size_t> ById;
  std::unordered_map<std::string, std::vector<size_t>> BySymbol;
  std::unordered_map<std::string, std::string> Aliases;

  /// A call whose result is dropped creates a coroutine that never runs when
  /// the callee is a coroutine function (Python's "never awaited").
  void addDiscardedCoroutines() {
    for (size_t I = 0; I < P.Functions.size(); ++I)
      for (const auto &[Callee, Call] : P.Callees[I])
        if (Call->Discarded && P.Functions[Callee].IsCoroutine &&
            !P.Functions[Callee].IsWrapped) {
          Site S;
          S.Rule = "discarded-task";
          S.Call = Call->CalleeName;
          S.Loc = Call->Loc;
          S.AfterSuspend = Call->AfterSuspend;
          P.Functions[I].Sites.push_back(std::move(S));
        }
  }

  /// The symbol a name stands for after following re-exports.
  const std::string &unalias(const std::string &Symbol) const {
    const std::string *Current = &Symbol;
    for (int Hop = 0; Hop < 8 && !BySymbol.count(*Current); ++Hop) {
      auto It = Aliases.find(*Current);
      if (It == Aliases.end())
        break;
      Current = &It->second;
    }
    return *Current;
  }

  /// The definition a call reaches: the one its TU saw; else the only one;
  /// else the only one linked into the caller's program. A namesake in
  /// another program is never chosen.
  std::optional<size_t> resolve(const std::string &Id,
                                const std::string &Symbol,
                                const std::vector<std::string> &CallerUnits) {
    if (!Id.empty())
      if (auto It = ById.find(Id); It != ById.end())
        return It->second;
    auto It = BySymbol.find(Aliases.empty() ? Symbol : unalias(Symbol));
    if (It == BySymbol.end())
      return std::nullopt;
    if (It->second.size() == 1)
      return It->second.front();
    std::optional<size_t> Found;
    for (size_t Candidate : It->second)
      if (sharesUnit(P.UnitsOf[Candidate], CallerUnits)) {
        if (Found) {
          Found.reset();
          break;
        }
        Found = Candidate;
      }
    if (!Found)
      ++P.AmbiguousCalls;
    return Found;
  }
};

std::string expand(std::string Template, const std::string &Callee) {
  const std::string Key = "{callee}";
  for (size_t At; (At = Template.find(Key)) != std::string::npos;)
    Template.replace(At, Key.size(), Callee);
  return Template;
}

/// The first and last steps of a long chain.
void elide(Finding &F) {
  if (F.Chain.size() <= MaxChainSteps)
    return;
  size_t Head = MaxChainSteps / 2, Tail = MaxChainSteps - Head;
  F.ElidedSteps = F.Chain.size() - MaxChainSteps;
  F.ElidedAfter = Head;
  F.Chain.erase(F.Chain.begin() + static_cast<std::ptrdiff_t>(Head),
                F.Chain.end() - static_cast<std::ptrdiff_t>(Tail));
}

Finding makeFinding(const Rule *R, const Site &S, const FunctionFacts &Handler,
                    bool HandlerRunsOnLoop, std::vector<ChainStep> Chain) {
  Finding F;
  F.R = R;
  F.RuleId = S.Rule;
  F.Call = S.Call;
  F.Detail = S.Detail;
  F.HandlerName = Handler.Name;
  F.HandlerLoc = Handler.Loc;
  F.Related = S.Related;
  F.RelatedNote = S.RelatedNote;
  F.Loc = Chain.empty() ? S.Loc : Chain.front().Loc;
  F.Message = expand(R->Message, S.Call);
  if (!S.Detail.empty())
    F.Message += " (" + S.Detail + ")";
  if (!HandlerRunsOnLoop)
    F.Message += " in '" + Handler.Name + "'";
  else if (Handler.IsCoroutine)
    F.Message += " in coroutine '" + Handler.Name + "'";
  else
    F.Message += " in handler '" + Handler.Name + "'";
  if (!Chain.empty()) {
    F.Message += " through '" + Chain.front().Callee + "'";
    Chain.push_back({Chain.back().Callee, S.Loc, S.Call});
  }
  F.Chain = std::move(Chain);
  elide(F);
  return F;
}

void addAlso(Finding &F, AlsoSite Also) {
  if (F.Also.size() < MaxAlsoSites)
    F.Also.push_back(std::move(Also));
  else
    ++F.MoreAlso;
}

/// Breadth-first over resolved calls from a root, so that each function is
/// reached once, by its shortest chain. Each node keeps its parent, so that
/// a chain costs its length, and only for the sites that become findings.
class CallWalk {
public:
  struct Node {
    size_t Function;
    size_t Parent; // index into Nodes; the root is its own parent
    const CallEdge *Via = nullptr;
    const CallEdge *FirstCall = nullptr; // the root's call this goes through
  };

  explicit CallWalk(const Program &P) : P(P), SeenIn(P.Functions.size(), 0) {}

  template <typename FollowFn, typename VisitFn>
  void run(size_t Root, FollowFn Follow, VisitFn Visit) {
    ++Epoch;
    Nodes.clear();
    Nodes.push_back({Root, 0});
    SeenIn[Root] = Epoch;
    for (size_t K = 0; K < Nodes.size(); ++K) {
      Visit(K);
      size_t From = Nodes[K].Function;
      for (const auto &[Callee, Call] : P.Callees[From]) {
        if (SeenIn[Callee] == Epoch || !Follow(*Call, Callee, K == 0))
          continue;
        SeenIn[Callee] = Epoch;
        Nodes.push_back({Callee, K, Call, K == 0 ? Call : Nodes[K].FirstCall});
      }
    }
  }

  const Node &node(size_t K) const { return Nodes[K]; }

  /// The calls from the root down to node K.
  std::vector<ChainStep> chainTo(size_t K) const {
    std::vector<ChainStep> Chain;
    for (; K != 0; K = Nodes[K].Parent) {
      const Node &N = Nodes[K];
      Chain.push_back({P.Functions[Nodes[N.Parent].Function].Name, N.Via->Loc,
                       P.Functions[N.Function].Name});
    }
    std::reverse(Chain.begin(), Chain.end());
    return Chain;
  }

private:
  const Program &P;
  std::vector<Node> Nodes;
  std::vector<unsigned> SeenIn;
  unsigned Epoch = 0;
};

/// Reports what a handler reaches: its own sites and, through calls, the
/// propagating sites of every function it can reach, each with the shortest
/// call chain. Other handlers are not entered: they are reported themselves.
void reportHandler(size_t Handler, const Program &P, CallWalk &Walk,
                   const RuleSet &Rules, std::vector<Finding> &Out) {
  const FunctionFacts &H = P.Functions[Handler];
  // One finding per rule and place in the handler (or per object the handler
  // works on); what else the same call or object reaches is listed with it.
  std::map<std::pair<std::string, std::string>, size_t> Reported;
  auto PlaceKey = [](const SourceLoc &L) {
    return L.File + ":" + std::to_string(L.Line) + ":" +
           std::to_string(L.Column);
  };
  // A task started on another thread runs on the loop only after it resumes.
  bool AfterResumeOnly = P.Exposed[Handler] == Exposure::AfterResume;
  Walk.run(
      Handler,
      [&](const CallEdge &Call, size_t Callee, bool FromRoot) {
        return !P.isHandler(Callee) &&
               !(FromRoot && AfterResumeOnly && !Call.AfterSuspend);
      },
      [&](size_t K) {
        const CallWalk::Node &N = Walk.node(K);
        const FunctionFacts &F = P.Functions[N.Function];
        for (const Site &S : F.Sites) {
          const Rule *R = Rules.find(S.Rule);
          bool Direct = K == 0;
          if (!R || (!Direct && !propagatesThroughCalls(R->Check)) ||
              (Direct && AfterResumeOnly && !S.AfterSuspend))
            continue;
          std::string Place = !Direct             ? PlaceKey(N.FirstCall->Loc)
                              : !S.Object.empty() ? "object " + S.Object
                                                  : PlaceKey(S.Loc);
          auto [It, New] = Reported.try_emplace({S.Rule, Place}, Out.size());
          if (New)
            Out.push_back(makeFinding(R, S, H, /*HandlerRunsOnLoop=*/true,
                                      Direct ? std::vector<ChainStep>()
                                             : Walk.chainTo(K)));
          else
            addAlso(Out[It->second], {F.Name, S.Call, S.Loc});
        }
      });
}

/// What a CPython extension function (called with the GIL held) blocks on,
/// directly or through calls, outside Py_BEGIN/END_ALLOW_THREADS: every Python
/// thread, the event loop's included, waits for it (scenario C10/S9).
void reportGilEntry(size_t Entry, const Program &P, CallWalk &Walk,
                    const RuleSet &Rules, const Rule &GilRule,
                    std::vector<Finding> &Out) {
  Walk.run(
      Entry, [](const CallEdge &Call, size_t, bool) { return !Call.GilReleased; },
      [&](size_t K) {
        const FunctionFacts &F = P.Functions[Walk.node(K).Function];
        for (const Site &S : F.Sites) {
          const Rule *R = Rules.find(S.Rule);
          if (!R || R->Check != CheckKind::BlockingCall ||
              R->Level == Severity::Remark || S.GilReleased)
            continue;
          Site AsGil = S;
          AsGil.Rule = GilRule.Id;
          AsGil.Detail = R->Category;
          Out.push_back(makeFinding(&GilRule, AsGil, P.Functions[Entry],
                                    P.isHandler(Entry), Walk.chainTo(K)));
        }
      });
}

} // namespace

std::vector<Finding> buildFindings(const std::vector<TuFacts> &Units,
                                   const RuleSet &Rules) {
  return buildFindings(
      Units, [&](const std::string &) -> const RuleSet & { return Rules; });
}

std::vector<Finding> buildFindings(
    const std::vector<TuFacts> &Units,
    const std::function<const RuleSet &(const std::string &)> &RulesFor,
    MergeStats *Stats) {
  Program P = ProgramBuilder().build(Units);
  std::vector<size_t> Order(P.Functions.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    const FunctionFacts &FA = P.Functions[A], &FB = P.Functions[B];
    return std::tie(FA.Loc, FA.Id) < std::tie(FB.Loc, FB.Id);
  });

  CallWalk Walk(P);
  std::vector<Finding> Out;
  size_t Handlers = 0;
  for (size_t I : Order) {
    const FunctionFacts &F = P.Functions[I];
    const RuleSet &Rules = RulesFor(F.Loc.File);
    const Rule *GilRule = Rules.findByCheck(CheckKind::GilHeld);
    if (F.IsGilEntry && GilRule)
      reportGilEntry(I, P, Walk, Rules, *GilRule, Out);
    if (P.isHandler(I)) {
      ++Handlers;
      reportHandler(I, P, Walk, Rules, Out);
      continue;
    }
    // A discarded task is a bug wherever it happens: it never runs.
    for (const Site &S : F.Sites) {
      const Rule *R = Rules.find(S.Rule);
      if (R && R->Check == CheckKind::DiscardedTask)
        Out.push_back(makeFinding(R, S, F, /*HandlerRunsOnLoop=*/false, {}));
    }
  }
  std::stable_sort(Out.begin(), Out.end(),
                   [](const Finding &A, const Finding &B) {
                     return std::tie(A.Loc, A.RuleId, A.HandlerName) <
                            std::tie(B.Loc, B.RuleId, B.HandlerName);
                   });
  if (Stats) {
    Stats->Functions = P.Functions.size();
    Stats->Calls = 0;
    for (const auto &Calls : P.Callees)
      Stats->Calls += Calls.size();
    Stats->Handlers = Handlers;
    Stats->Findings = Out.size();
    Stats->AmbiguousCalls = P.AmbiguousCalls;
  }
  return Out;
}

} // namespace stallhound
