//===- PythonSyntax.cpp - A Python source file's syntax tree --------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonSyntax.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

extern "C" const TSLanguage *tree_sitter_python(void);

namespace stallhound::python {

std::string_view Node::text() const {
  if (!*this)
    return {};
  uint32_t Begin = ts_node_start_byte(N), End = ts_node_end_byte(N);
  if (End > Source->size() || Begin > End)
    return {};
  return std::string_view(*Source).substr(Begin, End - Begin);
}

namespace {

/// A field's id, looked up once per field name literal (by its address):
/// finding a field by name compares it with every field name of the grammar.
TSFieldId fieldId(const char *Name) {
  thread_local std::unordered_map<const char *, TSFieldId> Ids;
  auto [It, New] = Ids.try_emplace(Name, 0);
  if (New)
    It->second = ts_language_field_id_for_name(
        tree_sitter_python(), Name, static_cast<uint32_t>(strlen(Name)));
  return It->second;
}

} // namespace

bool Node::is(const char *Type) const {
  return *this && std::strcmp(ts_node_type(N), Type) == 0;
}

Node Node::field(const char *Name) const {
  if (!*this)
    return {};
  TSFieldId Id = fieldId(Name);
  return {Id ? ts_node_child_by_field_id(N, Id) : TSNode{}, Source};
}

llvm::SmallVector<Node, 6> Node::namedChildren() const {
  llvm::SmallVector<Node, 6> Out;
  if (!*this)
    return Out;
  // Few children: indexing (which walks from the first child) is cheaper
  // than a cursor's bookkeeping.
  uint32_t Count = ts_node_child_count(N);
  if (Count <= 4) {
    for (uint32_t I = 0; I < Count; ++I)
      if (TSNode C = ts_node_child(N, I); ts_node_is_named(C))
        Out.emplace_back(C, Source);
    return Out;
  }
  // One cursor per thread, reset for each node: its stack stays allocated.
  struct Cursor {
    TSTreeCursor C;
    bool Live = false;
    ~Cursor() {
      if (Live)
        ts_tree_cursor_delete(&C);
    }
  };
  thread_local Cursor Reused;
  if (!Reused.Live) {
    Reused.C = ts_tree_cursor_new(N);
    Reused.Live = true;
  } else {
    ts_tree_cursor_reset(&Reused.C, N);
  }
  if (ts_tree_cursor_goto_first_child(&Reused.C)) {
    do {
      TSNode C = ts_tree_cursor_current_node(&Reused.C);
      if (ts_node_is_named(C))
        Out.emplace_back(C, Source);
    } while (ts_tree_cursor_goto_next_sibling(&Reused.C));
  }
  return Out;
}

bool Node::hasAsyncKeyword() const {
  for (unsigned I = 0; I < childCount(); ++I) {
    Node C = child(I);
    if (C.type() == "async")
      return true;
    if (C.isNamed())
      return false;
  }
  return false;
}

SyntaxTree::SyntaxTree(std::string PathIn, std::string SourceIn)
    : Path(std::move(PathIn)), Source(std::move(SourceIn)) {
  Parser = ts_parser_new();
  ts_parser_set_language(Parser, tree_sitter_python());
  Tree = ts_parser_parse_string(Parser, nullptr, Source.data(),
                                static_cast<uint32_t>(Source.size()));
}

SyntaxTree::~SyntaxTree() {
  if (Tree)
    ts_tree_delete(Tree);
  ts_parser_delete(Parser);
}

Node SyntaxTree::root() const {
  if (!Tree)
    return {};
  return {ts_tree_root_node(Tree), &Source};
}

namespace {

std::optional<TSNode> firstBrokenNode(TSNode N) {
  if (!ts_node_has_error(N))
    return std::nullopt;
  if (std::strcmp(ts_node_type(N), "ERROR") == 0 || ts_node_is_missing(N))
    return N;
  for (uint32_t I = 0, E = ts_node_child_count(N); I < E; ++I)
    if (auto Found = firstBrokenNode(ts_node_child(N, I)))
      return Found;
  return N; // the error is in this node itself
}

} // namespace

std::optional<TuError> SyntaxTree::firstSyntaxError() const {
  if (!Tree)
    return TuError{{Path, 0, 0}, "the parser gave up on this file"};
  auto Broken = firstBrokenNode(ts_tree_root_node(Tree));
  if (!Broken)
    return std::nullopt;
  TSPoint At = ts_node_start_point(*Broken);
  std::string Message = "invalid syntax";
  if (ts_node_is_missing(*Broken))
    Message =
        std::string("invalid syntax: expected '") + ts_node_type(*Broken) + "'";
  else if (ts_node_child_count(*Broken) == 0 ||
           ts_node_end_byte(*Broken) - ts_node_start_byte(*Broken) < 40) {
    uint32_t Begin = ts_node_start_byte(*Broken);
    uint32_t End = std::min<uint32_t>(ts_node_end_byte(*Broken), Begin + 40);
    std::string Token = Source.substr(Begin, End - Begin);
    if (auto NL = Token.find('\n'); NL != std::string::npos)
      Token.resize(NL);
    if (!Token.empty())
      Message = "invalid syntax near '" + Token + "'";
  }
  return TuError{{Path, At.row + 1, At.column + 1}, Message};
}

} // namespace stallhound::python
