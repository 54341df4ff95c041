//===- PythonNames.h - What a name in a Python module stands for -*- C++
//-*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Enough name resolution for real services, without running anything:
// imports (aliased, relative, re-exported by a package), module-level
// functions, classes and typed globals, `self.method()` and `cls.method()`,
// attributes a class assigns in its methods (`self.session =
// requests.Session()`), parameters with annotations, and local variables
// bound to a constructor or to a factory listed in the configuration's
// "returns". Calls resolve to dotted names ("requests.Session.get"), which
// rules match and phase 2 resolves to definitions.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_PYTHON_PYTHONNAMES_H
#define STALLHOUND_ANALYZER_PYTHON_PYTHONNAMES_H

#include "Facts.h"
#include "PythonModules.h"
#include "PythonSyntax.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace stallhound::python {

struct ClassInfo {
  std::string QualifiedName;                    // "module.Class"
  std::map<std::string, std::string> AttrTypes; // self.x -> class of x
};

/// One function being analyzed.
struct Scope {
  std::string Qual; // its __qualname__
  const ClassInfo *Class = nullptr;
  std::string SelfName; // the instance parameter of a method
  bool IsAsync = false;
  const Scope *Outer = nullptr;                  // the function it is nested in
  std::map<std::string, std::string> LocalNames; // local imports, nested defs
  std::map<std::string, std::string> VarTypes;   // local variable -> class
  std::set<std::string> Params;
  std::map<std::string, std::string> ParamDefaults; // the default's source
  std::set<std::string> Locals; // every name the function assigns
};

class NameResolver {
public:
  NameResolver(ModuleInfo Module,
               const std::map<std::string, std::string> &Returns)
      : Module(std::move(Module)), Returns(Returns) {}

  /// Binds what the module defines and imports; adds the names it imports
  /// from other modules as aliases (a package's re-exports).
  void collectModule(const Node &Root, std::vector<SymbolAlias> &Aliases);
  /// Decorated: the decorated_definition around Def, or Def.
  void bindParameters(const Node &Def, const Node &Decorated, Scope &S) const;
  /// Local imports, nested functions and assigned names of a body.
  void collectLocalBindings(const Node &Body, Scope &S) const;
  /// `x = Class(...)`, `f = module.function`: what x is from here on.
  void bindAssignment(const Node &Assignment, Scope &S) const;

  /// The dotted name an expression refers to ("time.sleep",
  /// "app.service.get_pong", "requests.Session.get"), or "" when unknown.
  std::string qualifiedName(const Node &E, const Scope &S) const;
  /// The class of the object an expression evaluates to, or "".
  std::string instanceType(const Node &E, const Scope &S) const;

  const ClassInfo *classNamed(const std::string &Qual) const;
  /// The class of this module a dotted name stands for, or null.
  const ClassInfo *classDefinedHere(const std::string &Dotted) const;
  /// A class (by this module's knowledge or by naming convention).
  bool isClassName(const std::string &Name) const;
  /// A function or method this module defines.
  bool definesHere(const std::string &Name) const {
    return Defined.count(Name) != 0;
  }
  /// A name that stands for a module, function or class, not for state.
  bool isStaticName(const std::string &Name, const Scope &S) const;

private:
  ModuleInfo Module;
  const std::map<std::string, std::string> &Returns;
  std::map<std::string, std::string> ModuleNames;    // name -> dotted name
  std::map<std::string, std::string> ModuleVarTypes; // global -> class
  std::map<std::string, ClassInfo> Classes;          // by qualname
  std::set<std::string> Defined; // dotted names of functions and methods
  std::vector<Node> Decorated;   // module-level decorated functions

  void bindImport(const Node &Statement, std::map<std::string, std::string> &To,
                  std::vector<SymbolAlias> *Aliases) const;
  void collectDefinitions(const Node &Block, const std::string &QualPrefix);
  void collectClassAttributes(const Node &Block, const std::string &QualPrefix);
  std::string lookup(const std::string &Name, const Scope &S) const;
  std::string varType(const std::string &Name, const Scope &S) const;
  std::string annotationType(const Node &Annotation, const Scope &S) const;
  std::string callResultType(const Node &Call, const Scope &S) const;
};

/// A nested function, class or lambda: code of its own, not of the function
/// around it.
bool isDefinition(const Node &N);

/// The decorator expressions of a decorated_definition (none for a plain
/// definition), in source order.
llvm::SmallVector<Node, 2> decorators(const Node &Decorated);

/// A node whose children may be statements (a block, the clauses of if,
/// try, with, for, while, match): where definitions can nest.
bool holdsStatements(const Node &N);

/// The positional arguments of a call.
std::vector<Node> positionalArguments(const Node &Call);

} // namespace stallhound::python

#endif
