//===- PythonNames.cpp - What a name in a Python module stands for --------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonNames.h"

#include <cctype>
#include <functional>

namespace stallhound::python {

namespace {

std::string text(const Node &N) { return std::string(N.text()); }

/// Calls Visit on every statement of a function body, however deeply nested
/// in compound statements (not in nested functions or classes).
template <typename Fn> void forEachStatement(const Node &Block, Fn Visit) {
  for (const Node &Statement : Block.namedChildren()) {
    Visit(Statement);
    if (holdsStatements(Statement)) // never a definition
      forEachStatement(Statement, Visit);
  }
}

/// The assignment an expression statement holds, if it is one.
Node assignmentOf(const Node &Statement) {
  if (!Statement.is("expression_statement"))
    return {};
  auto Children = Statement.namedChildren();
  return Children.size() == 1 && (Children[0].is("assignment") ||
                                  Children[0].is("augmented_assignment"))
             ? Children[0]
             : Node();
}

/// The names a target of an assignment, a for loop or `as` binds.
void targetNames(const Node &Target, std::set<std::string> &Out) {
  if (Target.is("identifier")) {
    Out.insert(text(Target));
    return;
  }
  if (Target.is("attribute") || Target.is("subscript"))
    return;
  for (const Node &Part : Target.namedChildren())
    targetNames(Part, Out);
}

bool hasDecorator(const Node &Decorated, std::string_view Name) {
  for (const Node &D : decorators(Decorated))
    if (D.text() == Name)
      return true;
  return false;
}

} // namespace

llvm::SmallVector<Node, 2> decorators(const Node &Decorated) {
  llvm::SmallVector<Node, 2> Out;
  if (!Decorated.is("decorated_definition"))
    return Out;
  for (const Node &D : Decorated.namedChildren())
    if (D.is("decorator"))
      if (auto Expression = D.namedChildren(); !Expression.empty())
        Out.push_back(Expression.front());
  return Out;
}

bool isDefinition(const Node &N) {
  return N.is("function_definition") || N.is("decorated_definition") ||
         N.is("class_definition") || N.is("lambda");
}

bool holdsStatements(const Node &N) {
  static constexpr std::string_view Kinds[] = {
      "module",          "block",
      "if_statement",    "elif_clause",
      "else_clause",     "try_statement",
      "except_clause",   "except_group_clause",
      "finally_clause",  "with_statement",
      "for_statement",   "while_statement",
      "match_statement", "case_clause"};
  std::string_view Type = N.type();
  for (std::string_view Kind : Kinds)
    if (Type == Kind)
      return true;
  return false;
}

std::vector<Node> positionalArguments(const Node &Call) {
  std::vector<Node> Out;
  Node Args = Call.field("arguments");
  if (!Args.is("argument_list"))
    return Out;
  for (const Node &A : Args.namedChildren()) {
    if (!A.is("keyword_argument") && !A.is("list_splat") &&
        !A.is("dictionary_splat") && !A.is("comment"))
      Out.push_back(A);
  }
  return Out;
}

void NameResolver::bindImport(const Node &Statement,
                              std::map<std::string, std::string> &To,
                              std::vector<SymbolAlias> *Aliases) const {
  if (Statement.is("import_statement")) {
    for (const Node &Name : Statement.namedChildren()) {
      if (Name.is("aliased_import")) {
        To[text(Name.field("alias"))] = text(Name.field("name"));
      } else if (Name.is("dotted_name")) {
        std::string Dotted = text(Name);
        std::string Top = Dotted.substr(0, Dotted.find('.'));
        To[Top] = Top;
      }
    }
    return;
  }
  if (!Statement.is("import_from_statement"))
    return;
  Node From = Statement.field("module_name");
  std::string Base;
  if (From.is("relative_import")) {
    unsigned Dots = 0;
    std::string Rest;
    for (const Node &Part : From.namedChildren()) {
      if (Part.is("import_prefix"))
        Dots = static_cast<unsigned>(Part.text().size());
      else if (Part.is("dotted_name"))
        Rest = text(Part);
    }
    Base = resolveRelativeImport(Module, Dots, Rest);
  } else {
    Base = text(From);
  }
  if (Base.empty())
    return;
  for (const Node &Name : Statement.namedChildren()) {
    if (Name == From)
      continue;
    std::string Imported, As;
    if (Name.is("aliased_import")) {
      Imported = text(Name.field("name"));
      As = text(Name.field("alias"));
    } else if (Name.is("dotted_name")) {
      Imported = As = text(Name);
    } else {
      continue; // `*`: names we cannot see
    }
    To[As] = Base + "." + Imported;
    if (Aliases)
      Aliases->push_back({Module.Name + "." + As, Base + "." + Imported});
  }
}

void NameResolver::collectModule(const Node &Root,
                                 std::vector<SymbolAlias> &Aliases) {
  // Imports anywhere at module level (also under if/try), then definitions,
  // then what module-level assignments and class methods bind.
  std::vector<Node> Assignments;
  std::function<void(const Node &)> Walk = [&](const Node &Block) {
    for (const Node &Statement : Block.namedChildren()) {
      if (isDefinition(Statement))
        continue;
      if (Statement.is("import_statement") ||
          Statement.is("import_from_statement"))
        bindImport(Statement, ModuleNames, &Aliases);
      else if (Node A = assignmentOf(Statement); A.is("assignment"))
        Assignments.push_back(A);
      else if (holdsStatements(Statement))
        Walk(Statement);
    }
  };
  Walk(Root);
  collectDefinitions(Root, "");
  Scope ModuleScope;
  for (const Node &A : Assignments) {
    Node Left = A.field("left"), Right = A.field("right");
    if (!Left.is("identifier") || !Right)
      continue;
    std::string Name = text(Left);
    if (Right.is("call")) {
      if (std::string Type = callResultType(Right, ModuleScope); !Type.empty())
        ModuleVarTypes[Name] = Type;
    } else if (Right.is("identifier") || Right.is("attribute")) {
      std::string Target = qualifiedName(Right, ModuleScope);
      if (!Target.empty() && !ModuleNames.count(Name)) {
        ModuleNames[Name] = Target;
        Aliases.push_back({Module.Name + "." + Name, Target});
      }
    }
  }
  // @app.task turns a function into an object of another class.
  for (const Node &Statement : Decorated) {
    std::string Name = text(Statement.field("definition").field("name"));
    for (Node E : decorators(Statement)) {
      if (E.is("call"))
        E = E.field("function");
      auto It = Returns.find(qualifiedName(E, ModuleScope));
      if (It != Returns.end())
        ModuleVarTypes[Name] = It->second;
    }
  }
  collectClassAttributes(Root, "");
}

void NameResolver::collectDefinitions(const Node &Block,
                                      const std::string &QualPrefix) {
  for (const Node &Statement : Block.namedChildren()) {
    Node Def = Statement.is("decorated_definition")
                   ? Statement.field("definition")
                   : Statement;
    if (Def.is("function_definition")) {
      std::string Name = text(Def.field("name"));
      std::string Dotted = Module.Name + "." + QualPrefix + Name;
      Defined.insert(Dotted);
      if (QualPrefix.empty()) {
        ModuleNames[Name] = Dotted;
        if (Statement.is("decorated_definition"))
          Decorated.push_back(Statement);
      }
      collectDefinitions(Def.field("body"), QualPrefix + Name + ".<locals>.");
    } else if (Def.is("class_definition")) {
      std::string Name = text(Def.field("name"));
      std::string Qual = QualPrefix + Name;
      Classes[Qual].QualifiedName = Module.Name + "." + Qual;
      if (QualPrefix.empty())
        ModuleNames[Name] = Module.Name + "." + Name;
      collectDefinitions(Def.field("body"), Qual + ".");
    } else if (holdsStatements(Def)) {
      collectDefinitions(Def, QualPrefix);
    }
  }
}

void NameResolver::collectClassAttributes(const Node &Block,
                                          const std::string &QualPrefix) {
  for (Node Statement : Block.namedChildren()) {
    if (Statement.is("decorated_definition"))
      Statement = Statement.field("definition");
    if (!Statement.is("class_definition"))
      continue;
    std::string Qual = QualPrefix + text(Statement.field("name"));
    ClassInfo &Class = Classes[Qual];
    Node Body = Statement.field("body");
    for (const Node &Member : Body.namedChildren()) {
      if (Node A = assignmentOf(Member)) {
        // class-level `session = requests.Session()`
        if (A.is("assignment") && A.field("left").is("identifier") &&
            A.field("right").is("call"))
          if (std::string T = callResultType(A.field("right"), Scope());
              !T.empty())
            Class.AttrTypes[text(A.field("left"))] = T;
        continue;
      }
      Node Def = Member.is("decorated_definition") ? Member.field("definition")
                                                   : Member;
      if (!Def.is("function_definition"))
        continue;
      Scope Method;
      Method.Class = &Class;
      bindParameters(Def, Member, Method);
      if (Method.SelfName.empty())
        continue;
      forEachStatement(Def.field("body"), [&](const Node &Statement) {
        Node N = assignmentOf(Statement);
        if (!N.is("assignment"))
          return;
        Node Left = N.field("left"), Right = N.field("right");
        if (!Left.is("attribute") || !Right ||
            Left.field("object").text() != Method.SelfName)
          return;
        std::string Type = instanceType(Right, Method);
        if (!Type.empty())
          Class.AttrTypes.try_emplace(text(Left.field("attribute")), Type);
      });
    }
    collectClassAttributes(Body, Qual + ".");
  }
}

void NameResolver::bindParameters(const Node &Def, const Node &Decorated,
                                  Scope &S) const {
  Node Params = Def.field("parameters");
  bool First = true;
  for (const Node &P : Params.namedChildren()) {
    Node NameNode, Type;
    if (P.is("identifier")) {
      NameNode = P;
    } else if (P.is("typed_parameter")) {
      NameNode = P.namedChild(0);
      Type = P.field("type");
    } else if (P.is("default_parameter")) {
      NameNode = P.field("name");
    } else if (P.is("typed_default_parameter")) {
      NameNode = P.field("name");
      Type = P.field("type");
    } else if (P.is("list_splat_pattern") || P.is("dictionary_splat_pattern")) {
      NameNode = P.namedChild(0);
    }
    if (!NameNode.is("identifier"))
      continue;
    std::string Name = text(NameNode);
    S.Params.insert(Name);
    if (Node Default = P.field("value"))
      S.ParamDefaults[Name] = text(Default);
    if (First && S.Class && !hasDecorator(Decorated, "staticmethod")) {
      if (hasDecorator(Decorated, "classmethod"))
        S.LocalNames[Name] = S.Class->QualifiedName;
      else
        S.SelfName = Name;
    } else if (Type) {
      if (std::string T = annotationType(Type, S); !T.empty())
        S.VarTypes[Name] = T;
    }
    First = false;
  }
}

void NameResolver::collectLocalBindings(const Node &Body, Scope &S) const {
  forEachStatement(Body, [&](const Node &N) {
    if (N.is("import_statement") || N.is("import_from_statement")) {
      bindImport(N, S.LocalNames, nullptr);
    } else if (N.is("function_definition") || N.is("decorated_definition")) {
      Node Def = N.is("decorated_definition") ? N.field("definition") : N;
      if (Def.is("function_definition")) {
        std::string Name = text(Def.field("name"));
        S.LocalNames[Name] = Module.Name + "." + S.Qual + ".<locals>." + Name;
      }
    } else if (Node A = assignmentOf(N)) {
      targetNames(A.field("left"), S.Locals);
    } else if (N.is("for_statement")) {
      targetNames(N.field("left"), S.Locals);
    } else if (N.is("with_statement")) {
      for (const Node &Clause : N.namedChildren())
        for (const Node &Item : Clause.namedChildren())
          if (Node Value = Item.field("value"); Value.is("as_pattern"))
            targetNames(Value.field("alias"), S.Locals);
    } else if (N.is("except_clause") || N.is("except_group_clause")) {
      for (const Node &Part : N.namedChildren())
        if (Part.is("as_pattern"))
          targetNames(Part.field("alias"), S.Locals);
    }
  });
}

void NameResolver::bindAssignment(const Node &Assignment, Scope &S) const {
  Node Left = Assignment.field("left"), Right = Assignment.field("right");
  if (!Left.is("identifier"))
    return;
  std::string Name = text(Left);
  S.VarTypes.erase(Name);
  S.LocalNames.erase(Name);
  if (!Right)
    return;
  if (std::string Type = instanceType(Right, S); !Type.empty()) {
    S.VarTypes[Name] = Type;
  } else if (Right.is("identifier") || Right.is("attribute")) {
    std::string Target = qualifiedName(Right, S);
    std::string Root = text(Right);
    if (!Target.empty() && isStaticName(Root.substr(0, Root.find('.')), S))
      S.LocalNames[Name] = Target; // sleep = time.sleep
  }
}

std::string NameResolver::lookup(const std::string &Name,
                                 const Scope &S) const {
  for (const Scope *Sc = &S; Sc; Sc = Sc->Outer) {
    auto It = Sc->LocalNames.find(Name);
    if (It != Sc->LocalNames.end())
      return It->second;
    if (Sc->Params.count(Name) || Sc->Locals.count(Name) ||
        Sc->VarTypes.count(Name))
      return "";
  }
  auto It = ModuleNames.find(Name);
  return It == ModuleNames.end() ? "" : It->second;
}

std::string NameResolver::varType(const std::string &Name,
                                  const Scope &S) const {
  for (const Scope *Sc = &S; Sc; Sc = Sc->Outer) {
    auto It = Sc->VarTypes.find(Name);
    if (It != Sc->VarTypes.end())
      return It->second;
    if (Sc->Class && Name == Sc->SelfName)
      return Sc->Class->QualifiedName;
    if (Sc->Params.count(Name) || Sc->Locals.count(Name))
      return "";
  }
  auto It = ModuleVarTypes.find(Name);
  return It == ModuleVarTypes.end() ? "" : It->second;
}

bool NameResolver::isStaticName(const std::string &Name, const Scope &S) const {
  for (const Scope *Sc = &S; Sc; Sc = Sc->Outer) {
    if (Sc->LocalNames.count(Name))
      return true;
    if (Sc->Params.count(Name) || Sc->Locals.count(Name))
      return false;
  }
  if (ModuleVarTypes.count(Name))
    return false;
  // Imports, functions, classes; an unbound name is a builtin.
  return true;
}

std::string NameResolver::qualifiedName(const Node &E, const Scope &S) const {
  if (E.is("identifier")) {
    std::string Name = text(E);
    if (std::string Found = lookup(Name, S); !Found.empty())
      return Found;
    if (!isStaticName(Name, S) || !varType(Name, S).empty())
      return ""; // a variable: what it calls is not known
    return Name; // a builtin (open, input) or an undefined name
  }
  if (E.is("attribute")) {
    Node Object = E.field("object");
    std::string Attribute = text(E.field("attribute"));
    if (std::string Type = instanceType(Object, S); !Type.empty())
      return Type + "." + Attribute;
    if (Object.is("call"))
      return "";
    if (std::string Base = qualifiedName(Object, S); !Base.empty())
      return Base + "." + Attribute;
    return "";
  }
  if (E.is("parenthesized_expression") && E.namedChildCount())
    return qualifiedName(E.namedChild(0), S);
  return "";
}

const ClassInfo *NameResolver::classNamed(const std::string &Qual) const {
  auto It = Classes.find(Qual);
  return It == Classes.end() ? nullptr : &It->second;
}

const ClassInfo *
NameResolver::classDefinedHere(const std::string &Dotted) const {
  std::string Prefix = Module.Name + ".";
  if (Dotted.compare(0, Prefix.size(), Prefix) != 0)
    return nullptr;
  return classNamed(Dotted.substr(Prefix.size()));
}

bool NameResolver::isClassName(const std::string &Name) const {
  if (classDefinedHere(Name))
    return true;
  std::string Last = Name.substr(Name.rfind('.') + 1);
  if (Last.empty() || !std::isupper(static_cast<unsigned char>(Last[0])))
    return false;
  for (char C : Last)
    if (std::islower(static_cast<unsigned char>(C)))
      return true;
  return false; // CONSTANT
}

std::string NameResolver::callResultType(const Node &Call,
                                         const Scope &S) const {
  std::string Callee = qualifiedName(Call.field("function"), S);
  if (Callee.empty())
    return "";
  if (auto It = Returns.find(Callee); It != Returns.end())
    return It->second;
  return isClassName(Callee) ? Callee : "";
}

std::string NameResolver::instanceType(const Node &E, const Scope &S) const {
  if (E.is("identifier"))
    return varType(text(E), S);
  if (E.is("call"))
    return callResultType(E, S);
  if (E.is("attribute")) {
    Node Object = E.field("object");
    std::string Attribute = text(E.field("attribute"));
    const ClassInfo *Owner = classDefinedHere(instanceType(Object, S));
    if (!Owner)
      return "";
    auto It = Owner->AttrTypes.find(Attribute);
    return It == Owner->AttrTypes.end() ? "" : It->second;
  }
  if (E.is("parenthesized_expression") && E.namedChildCount())
    return instanceType(E.namedChild(0), S);
  return "";
}

std::string NameResolver::annotationType(const Node &Annotation,
                                         const Scope &S) const {
  Node T = Annotation.is("type") && Annotation.namedChildCount()
               ? Annotation.namedChild(0)
               : Annotation;
  if (T.is("identifier") || T.is("attribute")) {
    std::string Name = qualifiedName(T, S);
    return isClassName(Name) ? Name : "";
  }
  if (T.is("binary_operator")) // X | None
    return annotationType(T.field("left"), S);
  if (T.is("generic_type") || T.is("subscript")) {
    // Optional[X], Annotated[X, Depends(...)]: X.
    Node Base = T.is("subscript") ? T.field("value") : T.namedChild(0);
    std::string Name(Base.text());
    if (Name.ends_with("Optional") || Name.ends_with("Annotated")) {
      Node Args = T.is("subscript") ? T.field("subscript") : T.namedChild(1);
      if (Args.is("type_parameter") && Args.namedChildCount())
        Args = Args.namedChild(0);
      return Args ? annotationType(Args, S) : "";
    }
  }
  return "";
}

} // namespace stallhound::python
