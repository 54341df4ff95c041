//===- Findings.cpp - Phase 2: merge facts and report per handler ---------===//

#include "Findings.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

namespace stallhound {

namespace {

using FunctionIndex = std::unordered_map<std::string, FunctionFacts>;

FunctionIndex mergeUnits(const std::vector<TuFacts> &Units) {
  FunctionIndex Index;
  std::set<std::string> NonBlockingMembers;
  for (const TuFacts &Unit : Units) {
    NonBlockingMembers.insert(Unit.NonBlockingMembers.begin(),
                              Unit.NonBlockingMembers.end());
    for (const FunctionFacts &F : Unit.Functions) {
      auto [It, Inserted] = Index.try_emplace(F.Id, F);
      if (!Inserted)
        It->second.mergeFrom(F);
    }
  }
  // A call on a member that another TU makes non-blocking does not block.
  if (!NonBlockingMembers.empty())
    for (auto &Entry : Index)
      std::erase_if(Entry.second.Sites, [&](const Site &S) {
        return !S.FdMember.empty() && NonBlockingMembers.count(S.FdMember);
      });
  return Index;
}

std::string expand(std::string Template, const std::string &Callee) {
  const std::string Key = "{callee}";
  for (size_t At; (At = Template.find(Key)) != std::string::npos;)
    Template.replace(At, Key.size(), Callee);
  return Template;
}

Finding makeFinding(const Rule *R, const Site &S, const FunctionFacts &Handler,
                    std::vector<ChainStep> Chain) {
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
  if (!Handler.IsHandler)
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
  return F;
}

/// Breadth-first over call edges from Root, so that each function is reached
/// once, by its shortest chain. Visit(F, Chain) sees Root first with an empty
/// chain; an edge is followed when Follow(Edge, Callee) allows it.
template <typename FollowFn, typename VisitFn>
void walkCalls(const FunctionFacts &Root, const FunctionIndex &Index,
               FollowFn Follow, VisitFn Visit) {
  struct Pending {
    const FunctionFacts *F;
    std::vector<ChainStep> Chain;
  };
  std::set<std::string> Seen = {Root.Id};
  std::deque<Pending> Queue = {{&Root, {}}};
  while (!Queue.empty()) {
    Pending P = std::move(Queue.front());
    Queue.pop_front();
    Visit(*P.F, P.Chain);
    for (const CallEdge &Call : P.F->Calls) {
      auto It = Index.find(Call.Callee);
      if (It == Index.end() || !Follow(Call, It->second) ||
          !Seen.insert(Call.Callee).second)
        continue;
      std::vector<ChainStep> Chain = P.Chain;
      Chain.push_back({P.F->Name, Call.Loc, It->second.Name});
      Queue.push_back({&It->second, std::move(Chain)});
    }
  }
}

/// Reports what Handler reaches: its own sites and, through calls, the
/// propagating sites of every function it can reach, each with the shortest
/// call chain. Other handlers are not entered: they are reported themselves.
void reportHandler(const FunctionFacts &Handler, const FunctionIndex &Index,
                   const RuleSet &Rules, std::vector<Finding> &Out) {
  // One finding per rule and place in the handler; what else the same call
  // reaches is listed with it.
  std::map<std::pair<std::string, SourceLoc>, size_t> Reported;
  walkCalls(
      Handler, Index,
      [](const CallEdge &, const FunctionFacts &Callee) {
        return !Callee.IsHandler;
      },
      [&](const FunctionFacts &F, const std::vector<ChainStep> &Chain) {
        for (const Site &S : F.Sites) {
          const Rule *R = Rules.find(S.Rule);
          if (!R || (!Chain.empty() && !propagatesThroughCalls(R->Check)))
            continue;
          SourceLoc Where = Chain.empty() ? S.Loc : Chain.front().Loc;
          auto [It, New] = Reported.try_emplace({S.Rule, Where}, Out.size());
          if (New)
            Out.push_back(makeFinding(R, S, Handler, Chain));
          else
            Out[It->second].Also.push_back({F.Name, S.Call, S.Loc});
        }
      });
}

/// What a CPython extension function (called with the GIL held) blocks on,
/// directly or through calls, outside Py_BEGIN/END_ALLOW_THREADS: every Python
/// thread, the event loop's included, waits for it (scenario C10/S9).
void reportGilEntry(const FunctionFacts &Entry, const FunctionIndex &Index,
                    const RuleSet &Rules, const Rule &GilRule,
                    std::vector<Finding> &Out) {
  walkCalls(
      Entry, Index,
      [](const CallEdge &Call, const FunctionFacts &) {
        return !Call.GilReleased;
      },
      [&](const FunctionFacts &F, const std::vector<ChainStep> &Chain) {
        for (const Site &S : F.Sites) {
          const Rule *R = Rules.find(S.Rule);
          if (!R || R->Check != CheckKind::BlockingCall ||
              R->Level == Severity::Remark || S.GilReleased)
            continue;
          Site AsGil = S;
          AsGil.Rule = GilRule.Id;
          AsGil.Detail = R->Category;
          Out.push_back(makeFinding(&GilRule, AsGil, Entry, Chain));
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
    const std::function<const RuleSet &(const std::string &)> &RulesFor) {
  FunctionIndex Index = mergeUnits(Units);
  std::vector<const FunctionFacts *> Functions;
  for (const auto &Entry : Index)
    Functions.push_back(&Entry.second);
  std::sort(Functions.begin(), Functions.end(),
            [](const FunctionFacts *A, const FunctionFacts *B) {
              return std::tie(A->Loc, A->Id) < std::tie(B->Loc, B->Id);
            });

  std::vector<Finding> Out;
  for (const FunctionFacts *F : Functions) {
    const RuleSet &Rules = RulesFor(F->Loc.File);
    const Rule *GilRule = Rules.findByCheck(CheckKind::GilHeld);
    if (F->IsGilEntry && GilRule)
      reportGilEntry(*F, Index, Rules, *GilRule, Out);
    if (F->IsHandler) {
      reportHandler(*F, Index, Rules, Out);
      continue;
    }
    // A discarded task is a bug wherever it happens: it never runs.
    for (const Site &S : F->Sites) {
      const Rule *R = Rules.find(S.Rule);
      if (R && R->Check == CheckKind::DiscardedTask)
        Out.push_back(makeFinding(R, S, *F, {}));
    }
  }
  std::stable_sort(Out.begin(), Out.end(),
                   [](const Finding &A, const Finding &B) {
                     return std::tie(A.Loc, A.RuleId, A.HandlerName) <
                            std::tie(B.Loc, B.RuleId, B.HandlerName);
                   });
  return Out;
}

} // namespace stallhound
