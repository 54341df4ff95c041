//===- PythonFactExtractor.cpp - Phase 1 for one Python file --------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonFactExtractor.h"

#include "PythonLoops.h"
#include "PythonModules.h"
#include "PythonNames.h"
#include "PythonSyntax.h"

#include <fstream>
#include <sstream>

namespace stallhound::python {

namespace {

/// Walks one module: first what it binds at the top (imports, functions,
/// classes, typed globals, attributes its classes set in methods), then every
/// function's body.
class Extractor {
public:
  Extractor(const SyntaxTree &Tree, const Config &Cfg)
      : Tree(Tree), Cfg(Cfg), Rules(Cfg.PythonRules),
        Module(moduleOf(Tree.path())), Names(Module, Cfg.Returns) {}

  TuFacts run() {
    Out.MainFile = Tree.path();
    Out.Language = "python";
    Out.LinkUnit = Module.Root;
    if (auto Error = Tree.firstSyntaxError()) {
      Out.Errors.push_back(*Error);
      return std::move(Out);
    }
    Node Root = Tree.root();
    Names.collectModule(Root, Out.Aliases);
    walkFunctions(Root, nullptr, "");
    for (FunctionFacts &F : Out.Functions)
      if (LoopEntries.count(F.Id))
        F.IsLoopEntry = true;
    return std::move(Out);
  }

private:
  const SyntaxTree &Tree;
  const Config &Cfg;
  const RuleSet &Rules;
  ModuleInfo Module;
  NameResolver Names;
  TuFacts Out;

  SourceLoc loc(const Node &N) const {
    return {Tree.path(), N.line(), N.column()};
  }

  std::string idOf(const std::string &Symbol) const {
    return Symbol + "@" + Tree.path();
  }

  /// Every function of a block (a module, a class body, a function body),
  /// however deeply nested in statements, with its qualified name.
  void walkFunctions(const Node &Block, const Scope *Outer,
                     const std::string &QualPrefix,
                     const ClassInfo *Class = nullptr) {
    for (Node Statement : Block.namedChildren()) {
      Node Decorated = Statement;
      if (Statement.is("decorated_definition"))
        Statement = Statement.field("definition");
      if (Statement.is("function_definition")) {
        analyzeFunction(Statement, Decorated, Outer, QualPrefix, Class);
      } else if (Statement.is("class_definition")) {
        std::string Name(Statement.field("name").text());
        const ClassInfo *Inner =
            Outer ? nullptr : Names.classNamed(QualPrefix + Name);
        walkFunctions(Statement.field("body"), Outer, QualPrefix + Name + ".",
                      Inner);
      } else if (holdsStatements(Statement)) {
        // if/try/with blocks at the same level define functions too.
        walkFunctions(Statement, Outer, QualPrefix, Class);
      }
    }
  }

  void analyzeFunction(const Node &Def, const Node &Decorated,
                       const Scope *Outer, const std::string &QualPrefix,
                       const ClassInfo *Class) {
    std::string Name(Def.field("name").text());
    Scope S;
    S.Qual = QualPrefix + Name;
    S.Class = Class;
    S.Outer = Outer;
    S.IsAsync = Def.hasAsyncKeyword();
    Names.bindParameters(Def, Decorated, S);

    FunctionFacts F;
    F.Symbol = Module.Name + "." + S.Qual;
    F.Id = idOf(F.Symbol);
    F.Name = S.Qual;
    // Python's co_firstlineno: the first decorator's line, as the probe says.
    F.Loc = loc(Decorated);

    F.IsWrapped = !onlyTransparentDecorators(Decorated);

    Node Body = Def.field("body");
    Names.collectLocalBindings(Body, S);
    SawYield = false;
    scanStatements(Body, S, F);
    // An async generator is driven by its consumer: no task, no handler.
    F.IsCoroutine = S.IsAsync && !SawYield;
    F.IsHandler = F.IsCoroutine;
    Out.Functions.push_back(std::move(F));
    walkFunctions(Body, &S, S.Qual + ".<locals>.");
  }

  /// Decorators that return the function itself.
  static bool onlyTransparentDecorators(const Node &Decorated) {
    for (const Node &D : decorators(Decorated)) {
      std::string_view Name = D.text();
      if (Name != "staticmethod" && Name != "classmethod" &&
          Name != "abstractmethod" && Name != "abc.abstractmethod" &&
          Name != "override" && Name != "typing.override")
        return false;
    }
    return true;
  }

  void scanStatements(const Node &N, Scope &S, FunctionFacts &F) {
    for (const Node &Child : N.namedChildren())
      scan(Child, N, S, F);
  }

  /// Source order, so that a variable's type is known from its assignment on.
  void scan(const Node &N, const Node &Parent, Scope &S, FunctionFacts &F) {
    // Once per node: the type's name, compared by length first.
    std::string_view Type = N.type();
    if (Type == "function_definition" || Type == "decorated_definition" ||
        Type == "class_definition" || Type == "lambda")
      return; // runs when called, analyzed as a function of its own
    if (Type == "identifier" || Type == "string_content" || Type == "integer")
      return; // leaves
    if (Type == "yield")
      SawYield = true;
    else if (Type == "call")
      handleCall(N, Parent, S, F);
    else if (Type == "with_statement" && !N.hasAsyncKeyword())
      handleWith(N, S, F);
    bool Flagged = false;
    bool IsFor = Type == "for_statement";
    if ((IsFor || Type == "while_statement") && !N.hasAsyncKeyword() &&
        !InFlaggedLoop)
      if (const Rule *R = Rules.findByCheck(CheckKind::CpuLoop))
        if (auto Verdict = classifyLoop(N, S, Names, loopLimits(*R))) {
          Site Loop;
          Loop.Rule = R->Id;
          Loop.Call = IsFor ? "for" : "while";
          Loop.Loc = loc(N);
          Loop.Detail = *Verdict;
          F.Sites.push_back(std::move(Loop));
          Flagged = true;
        }
    // The loops inside a flagged loop are part of its finding.
    InFlaggedLoop += Flagged;
    scanStatements(N, S, F);
    InFlaggedLoop -= Flagged;
    if (Type == "assignment")
      Names.bindAssignment(N, S);
  }

  void handleCall(const Node &Call, const Node &Parent, Scope &S,
                  FunctionFacts &F) {
    Node Callee = Call.field("function");
    std::string Name = Names.qualifiedName(Callee, S);
    if (Name.empty())
      return;
    bool Awaited = Parent.is("await");
    bool Discarded = Parent.is("expression_statement");
    // An awaited call suspends; blocking clients are never awaited.
    if (!Awaited && !Cfg.isNonBlocking(Name))
      addBlockingSites(Name, Call, Callee, S, F);
    if (Discarded)
      if (const Rule *R = Rules.findByCheck(CheckKind::DiscardedTask))
        for (const std::string &Coroutine : R->stringListOption("coroutines"))
          if (Coroutine == Name)
            F.Sites.push_back(site(*R, Name, Call));
    markLoopEntries(Name, Call, S);

    CallEdge Edge;
    Edge.CalleeSymbol = Names.isClassName(Name) ? Name + ".__init__" : Name;
    if (Names.definesHere(Edge.CalleeSymbol))
      Edge.Callee = idOf(Edge.CalleeSymbol);
    Edge.CalleeName = std::string(Callee.text().substr(0, 80));
    Edge.Loc = loc(Call);
    Edge.Start = Awaited ? CallStart::Awaited : CallStart::Call;
    Edge.Discarded = Discarded;
    F.Calls.push_back(std::move(Edge));
  }

  Site site(const Rule &R, const std::string &Name, const Node &At) const {
    Site S;
    S.Rule = R.Id;
    S.Call = Name;
    S.Loc = loc(At);
    return S;
  }

  void addBlockingSites(const std::string &Name, const Node &Call,
                        const Node &Callee, const Scope &S, FunctionFacts &F) {
    std::set<std::string> Seen;
    for (const PatternRef &Ref : Rules.callPatterns(Name, false)) {
      if (Ref.R->Check != CheckKind::BlockingCall ||
          !Seen.insert(Ref.R->Id).second)
        continue;
      Site Blocking = site(*Ref.R, Name, Call);
      // Calls on one object (a connection, a lock) are one finding, also
      // when chained: conn.execute(...).fetchall() works on conn.
      if (Node Receiver = Callee.field("object");
          Callee.is("attribute") && !Names.instanceType(Receiver, S).empty()) {
        while (Receiver.is("call") &&
               Receiver.field("function").is("attribute"))
          Receiver = Receiver.field("function").field("object");
        Blocking.Object = std::string(Receiver.text().substr(0, 80));
      }
      F.Sites.push_back(std::move(Blocking));
    }
  }

  /// `with lock:` takes the lock: the rules name it Class.__enter__.
  void handleWith(const Node &With, Scope &S, FunctionFacts &F) {
    for (const Node &Clause : With.namedChildren()) {
      if (!Clause.is("with_clause"))
        continue;
      for (const Node &Item : Clause.namedChildren()) {
        Node Value = Item.field("value");
        Node Target;
        if (Value.is("as_pattern")) {
          Target = Value.field("alias");
          if (Target.is("as_pattern_target") && Target.namedChildCount())
            Target = Target.namedChild(0);
          Value = Value.namedChild(0);
        }
        if (!Value)
          continue;
        std::string Type = Names.instanceType(Value, S);
        // `with httpx.Client() as client:` (a context manager that returns
        // itself, as clients and files do).
        if (Target.is("identifier")) {
          if (Type.empty())
            S.VarTypes.erase(std::string(Target.text()));
          else
            S.VarTypes[std::string(Target.text())] = Type;
        }
        if (Type.empty() || Value.is("call"))
          continue; // a call is matched as a call (`with open(...)`)
        for (const PatternRef &Ref :
             Rules.callPatterns(Type + ".__enter__", false)) {
          if (Ref.R->Check != CheckKind::BlockingCall)
            continue;
          Site Lock = site(*Ref.R, Type, Value);
          Lock.Object = std::string(Value.text().substr(0, 80));
          F.Sites.push_back(std::move(Lock));
          break;
        }
      }
    }
  }

  /// A function handed to the loop (loop.call_soon(f), add_done_callback)
  /// runs on it: a handler even when it is a plain def.
  void markLoopEntries(const std::string &Name, const Node &Call,
                       const Scope &S) {
    const CallableArgument *Entry = Cfg.handlerEntry(Name);
    if (!Entry)
      return;
    std::vector<Node> Args = positionalArguments(Call);
    if (Args.empty())
      return;
    Node Arg = Entry->Arg < 0 ? Args.back()
               : static_cast<size_t>(Entry->Arg) < Args.size()
                   ? Args[static_cast<size_t>(Entry->Arg)]
                   : Node();
    if (!Arg || !(Arg.is("identifier") || Arg.is("attribute")))
      return;
    std::string Target = Names.qualifiedName(Arg, S);
    if (Target.empty())
      return;
    FunctionFacts Mark;
    Mark.Symbol = Target;
    Mark.Name = std::string(Arg.text());
    Mark.Loc = loc(Arg);
    Mark.IsLoopEntry = true;
    if (Names.definesHere(Target))
      LoopEntries.insert(idOf(Target));
    else
      Out.Functions.push_back(std::move(Mark));
  }

  std::set<std::string> LoopEntries; // ids of this file's functions
  unsigned InFlaggedLoop = 0;
  bool SawYield = false; // in the function being scanned
};

std::string readFile(const std::string &Path, bool &Ok) {
  std::ifstream In(Path, std::ios::binary);
  std::ostringstream Text;
  Text << In.rdbuf();
  Ok = static_cast<bool>(In) || In.eof();
  return Text.str();
}

} // namespace

TuFacts extractPythonFacts(const std::string &Path, std::string Source,
                           const Config &Cfg) {
  SyntaxTree Tree(Path, std::move(Source));
  return Extractor(Tree, Cfg).run();
}

TuFacts extractPythonFacts(const std::string &Path, const Config &Cfg) {
  bool Ok = false;
  std::string Source = readFile(Path, Ok);
  if (!Ok) {
    TuFacts Failed;
    Failed.MainFile = Path;
    Failed.Language = "python";
    Failed.Errors.push_back(
        {{Path, 0, 0}, "cannot read the file", TuError::Kind::Setup});
    return Failed;
  }
  return extractPythonFacts(Path, std::move(Source), Cfg);
}

} // namespace stallhound::python
