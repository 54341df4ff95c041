//===- PythonSyntax.h - A Python source file's syntax tree ------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Python files are parsed with tree-sitter's Python grammar: it accepts the
// syntax of every Python from 3.8 to 3.13 (match, PEP 695 type parameters and
// `type` statements, nested f-strings), runs none of the user's code, and
// needs no interpreter of the version the project targets.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_PYTHON_PYTHONSYNTAX_H
#define STALLHOUND_ANALYZER_PYTHON_PYTHONSYNTAX_H

#include "Facts.h"

#include "llvm/ADT/SmallVector.h"

#include <tree_sitter/api.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stallhound::python {

/// A node of the tree, with the source it was parsed from.
class Node {
public:
  Node() = default;
  Node(TSNode N, const std::string *Source) : N(N), Source(Source) {}

  explicit operator bool() const { return Source && !ts_node_is_null(N); }
  bool operator==(const Node &O) const { return ts_node_eq(N, O.N); }
  std::string_view type() const { return ts_node_type(N); }
  /// The node's type is Type (a grammar name: "call", "function_definition").
  bool is(const char *Type) const;
  bool isNamed() const { return ts_node_is_named(N); }
  std::string_view text() const;
  unsigned line() const { return ts_node_start_point(N).row + 1; }
  unsigned column() const { return ts_node_start_point(N).column + 1; }

  Node field(const char *Name) const;
  unsigned childCount() const { return ts_node_child_count(N); }
  Node child(unsigned I) const { return {ts_node_child(N, I), Source}; }
  unsigned namedChildCount() const { return ts_node_named_child_count(N); }
  Node namedChild(unsigned I) const {
    return {ts_node_named_child(N, I), Source};
  }
  /// The named children in order, in one pass (namedChild(I) walks from the
  /// first child each time); most nodes have few, kept inline.
  llvm::SmallVector<Node, 6> namedChildren() const;
  /// `async def`, `async for`, `async with`.
  bool hasAsyncKeyword() const;

private:
  TSNode N{};
  const std::string *Source = nullptr;
};

/// One parsed file. The tree keeps pointers into Source.
class SyntaxTree {
public:
  /// Parses Source; never fails (syntax errors become ERROR nodes).
  SyntaxTree(std::string Path, std::string Source);
  ~SyntaxTree();
  SyntaxTree(const SyntaxTree &) = delete;
  SyntaxTree &operator=(const SyntaxTree &) = delete;

  Node root() const;
  const std::string &path() const { return Path; }
  const std::string &source() const { return Source; }
  /// The first place the file is not Python, with what is wrong there.
  std::optional<TuError> firstSyntaxError() const;

private:
  std::string Path;
  std::string Source;
  TSParser *Parser = nullptr;
  TSTree *Tree = nullptr;
};

} // namespace stallhound::python

#endif
