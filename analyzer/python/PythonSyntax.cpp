//===- PythonSyntax.cpp - A Python source file's syntax tree --------------===//

#include "PythonSyntax.h"

#include <algorithm>
#include <cstring>

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

Node Node::field(const char *Name) const {
  if (!*this)
    return {};
  return {ts_node_child_by_field_name(N, Name,
                                      static_cast<uint32_t>(strlen(Name))),
          Source};
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
    Message = std::string("invalid syntax: expected '") +
              ts_node_type(*Broken) + "'";
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
