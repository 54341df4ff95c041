//===- PythonLoops.cpp - Loops that keep the event loop busy --------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonLoops.h"

#include <cmath>
#include <functional>
#include <set>

namespace stallhound::python {

namespace {

/// True when Pred holds for a node of N in the same function.
bool anyOwnNode(const Node &N, const std::function<bool(const Node &)> &Pred,
                bool IntoLoops = true) {
  for (const Node &C : N.namedChildren()) {
    if (isDefinition(C))
      continue;
    if (Pred(C))
      return true;
    if (!IntoLoops && (C.is("for_statement") || C.is("while_statement")))
      continue;
    if (anyOwnNode(C, Pred, IntoLoops))
      return true;
  }
  return false;
}

/// An await, async for/with, or a yield (its consumer drives the loop).
bool suspends(const Node &Loop) {
  return anyOwnNode(Loop, [](const Node &N) {
    return N.is("await") || N.is("yield") ||
           ((N.is("for_statement") || N.is("with_statement")) &&
            N.hasAsyncKeyword());
  });
}

/// A break of this loop, a return or a raise.
bool exits(const Node &Body) {
  if (anyOwnNode(Body, [](const Node &N) {
        return N.is("return_statement") || N.is("raise_statement");
      }))
    return true;
  return anyOwnNode(
      Body, [](const Node &N) { return N.is("break_statement"); },
      /*IntoLoops=*/false);
}

std::optional<double> constantValue(const Node &E) {
  if (E.is("integer") || E.is("float")) {
    std::string Digits;
    for (char C : E.text())
      if (C != '_')
        Digits += C;
    try {
      return E.is("integer")
                 ? static_cast<double>(std::stoll(Digits, nullptr, 0))
                 : std::stod(Digits);
    } catch (...) {
      return std::nullopt;
    }
  }
  if (E.is("parenthesized_expression") && E.namedChildCount())
    return constantValue(E.namedChild(0));
  if (E.is("binary_operator")) {
    auto L = constantValue(E.field("left")),
         R = constantValue(E.field("right"));
    if (!L || !R)
      return std::nullopt;
    std::string_view Op = E.field("operator").text();
    if (Op == "**")
      return std::pow(*L, std::min(*R, 64.0));
    if (Op == "*")
      return *L * *R;
    if (Op == "+")
      return *L + *R;
    if (Op == "-")
      return *L - *R;
    if (Op == "//" || Op == "/")
      return *R == 0 ? std::nullopt : std::optional<double>(*L / *R);
  }
  return std::nullopt;
}

std::string quoted(const Node &E) {
  std::string Text(E.text().substr(0, 60));
  return "'" + Text + "'";
}

/// The identifier an expression starts from: `req.items` -> `req`.
Node rootOf(Node E) {
  while (E.is("attribute") || E.is("subscript") || E.is("call")) {
    if (E.is("call"))
      E = E.field("function");
    else
      E = E.field(E.is("attribute") ? "object" : "value");
  }
  return E;
}

/// A parameter of the function (not self), or an attribute of one.
bool fromParameter(const Node &E, const Scope &S) {
  Node Root = rootOf(E);
  if (!Root.is("identifier"))
    return false;
  std::string Name(Root.text());
  return S.Params.count(Name) && Name != S.SelfName &&
         !S.LocalNames.count(Name);
}

/// A parameter whose default is a small count (`parts: int = 1`): callers
/// are expected to pass small counts too.
bool hasSmallDefault(const Node &Bound, const Scope &S, int64_t Limit) {
  if (!Bound.is("identifier"))
    return false;
  auto It = S.ParamDefaults.find(std::string(Bound.text()));
  if (It == S.ParamDefaults.end())
    return false;
  try {
    size_t End = 0;
    long long Value = std::stoll(It->second, &End, 0);
    return End == It->second.size() && Value < Limit;
  } catch (...) {
    return false;
  }
}

/// `range(n)` with n from a parameter, or a parameter iterated directly.
std::optional<Node> inputOf(const Node &Loop, const Scope &S,
                            const NameResolver &Names,
                            const LoopLimits &Limits) {
  Node Right = Loop.field("right");
  if (Right.is("call") &&
      Names.qualifiedName(Right.field("function"), S) == "range") {
    std::vector<Node> Args = positionalArguments(Right);
    if (Args.empty())
      return std::nullopt;
    Node Bound = Args.size() >= 2 ? Args[1] : Args[0];
    if (hasSmallDefault(Bound, S, Limits.MinIterations))
      return std::nullopt;
    return fromParameter(Bound, S) ? std::optional<Node>(Bound) : std::nullopt;
  }
  if ((Right.is("identifier") || Right.is("attribute")) &&
      fromParameter(Right, S))
    return Right;
  return std::nullopt;
}

std::optional<std::string> classifyFor(const Node &Loop, const Scope &S,
                                       const NameResolver &Names,
                                       const LoopLimits &Limits) {
  Node Right = Loop.field("right");
  std::string Iterated =
      Right.is("call") ? Names.qualifiedName(Right.field("function"), S) : "";
  if (Iterated == "range") {
    std::vector<Node> Args = positionalArguments(Right);
    if (!Args.empty()) {
      Node Bound = Args.size() >= 2 ? Args[1] : Args[0];
      if (auto Value = constantValue(Bound);
          Value && *Value >= static_cast<double>(Limits.MinIterations))
        return "it runs " + std::string(Bound.text().substr(0, 40)) + " times";
    }
  }
  if (Limits.Unbounded &&
      (Iterated == "itertools.count" || Iterated == "itertools.cycle") &&
      !exits(Loop.field("body")))
    return std::string("the loop has no exit");
  auto Input = inputOf(Loop, S, Names, Limits);
  if (!Input)
    return std::nullopt;
  if (Limits.NestedInput) {
    std::optional<Node> Inner;
    anyOwnNode(Loop.field("body"), [&](const Node &N) {
      if (!N.is("for_statement") || N.hasAsyncKeyword())
        return false;
      auto Other = inputOf(N, S, Names, Limits);
      if (Other && Other->text() != Input->text())
        Inner = Other;
      return Inner.has_value();
    });
    if (Inner)
      return "nested loops over " + quoted(*Input) + " and " + quoted(*Inner) +
             ", which depend on parameters";
  }
  if (Limits.InputDependent && Iterated == "range")
    return "bound " + quoted(*Input) + " depends on a parameter";
  return std::nullopt;
}

/// A condition nothing in the body can change: it waits for another thread
/// or the clock while holding the loop.
bool isBusyWait(const Node &Condition, const Node &Body, const Scope &S,
                const NameResolver &Names) {
  if (anyOwnNode(Condition,
                 [](const Node &N) { return N.is("named_expression"); }))
    return false;
  std::set<std::string> State;
  bool ConditionCalls = Condition.is("call");
  bool NonLocalState = false;
  // Parent and Grand are where N stands (the walk knows; asking the tree
  // climbs from its root).
  std::function<void(const Node &, const Node &, const Node &)> Collect =
      [&](const Node &N, const Node &Parent, const Node &Grand) {
        if (N.is("call"))
          ConditionCalls = true;
        if (N.is("identifier")) {
          std::string Name(N.text());
          if (!Names.isStaticName(Name, S)) {
            State.insert(Name);
            bool Local = (S.Locals.count(Name) || S.Params.count(Name)) &&
                         Name != S.SelfName;
            NonLocalState |= !Local;
          } else if (Parent.is("attribute") && !Grand.is("call")) {
            NonLocalState = true; // module.flag: state anyone may change
          }
        }
        for (const Node &C : N.namedChildren()) {
          // In `a.b`, only `a` is a name of this scope.
          if (N.is("attribute") && C == N.field("attribute"))
            continue;
          Collect(C, N, Parent);
        }
      };
  Collect(Condition, Node(), Node());
  if (State.empty() && !ConditionCalls)
    return false; // a constant condition: `while 0:`, handled elsewhere
  bool BodyCalls = false, Touched = false;
  anyOwnNode(Body, [&](const Node &N) {
    if (N.is("call")) {
      BodyCalls = true;
      Node Root = rootOf(N.field("function"));
      if (N.field("function").is("attribute") && Root.is("identifier") &&
          State.count(std::string(Root.text())))
        Touched = true; // q.pop()
      for (const Node &Arg : positionalArguments(N))
        if (Node R = rootOf(Arg);
            R.is("identifier") && State.count(std::string(R.text())))
          Touched = true; // update(state)
    }
    if (N.is("assignment") || N.is("augmented_assignment") ||
        N.is("delete_statement") || N.is("for_statement")) {
      Node Target = N.is("delete_statement") ? N : N.field("left");
      if (anyOwnNode(Target,
                     [&](const Node &T) {
                       return T.is("identifier") &&
                              State.count(std::string(T.text()));
                     }) ||
          (Target.is("identifier") && State.count(std::string(Target.text()))))
        Touched = true;
    }
    if (N.is("global_statement") || N.is("nonlocal_statement"))
      Touched = true;
    return Touched;
  });
  if (Touched)
    return false;
  // Another thread may change shared state while the body calls out.
  return !(NonLocalState && BodyCalls);
}

std::optional<std::string> classifyWhile(const Node &Loop, const Scope &S,
                                         const NameResolver &Names,
                                         const LoopLimits &Limits) {
  if (!Limits.Unbounded)
    return std::nullopt;
  Node Condition = Loop.field("condition");
  Node Body = Loop.field("body");
  auto Constant = constantValue(Condition);
  bool AlwaysTrue = Condition.is("true") || (Constant && *Constant != 0);
  if (AlwaysTrue)
    return exits(Body) ? std::nullopt
                       : std::optional<std::string>(
                             "the loop condition is always true and nothing "
                             "leaves the loop");
  if (Condition.is("false") || (Constant && *Constant == 0) || exits(Body))
    return std::nullopt;
  if (isBusyWait(Condition, Body, S, Names))
    return "it runs while " + quoted(Condition) +
           " holds, and nothing in the loop changes that";
  return std::nullopt;
}

} // namespace

LoopLimits loopLimits(const Rule &CpuLoop) {
  LoopLimits L;
  L.MinIterations = CpuLoop.intOption("min_iterations", L.MinIterations);
  L.InputDependent = CpuLoop.boolOption("input_dependent", L.InputDependent);
  L.NestedInput = CpuLoop.boolOption("nested_input", L.NestedInput);
  L.Unbounded = CpuLoop.boolOption("unbounded", L.Unbounded);
  return L;
}

std::optional<std::string> classifyLoop(const Node &Loop, const Scope &S,
                                        const NameResolver &Names,
                                        const LoopLimits &Limits) {
  if (suspends(Loop))
    return std::nullopt;
  if (Loop.is("for_statement"))
    return classifyFor(Loop, S, Names, Limits);
  return classifyWhile(Loop, S, Names, Limits);
}

} // namespace stallhound::python
