//===- Suppressions.cpp - NOLINT comments, as clang-tidy reads them -------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Suppressions.h"

#include "Config.h"

#include <fstream>

namespace stallhound {

namespace {

std::string trim(const std::string &S) {
  size_t B = S.find_first_not_of(" \t");
  size_t E = S.find_last_not_of(" \t");
  return B == std::string::npos ? "" : S.substr(B, E - B + 1);
}

bool globMatches(const std::string &Pattern, const std::string &Name) {
  if (!Pattern.empty() && Pattern.back() == '*')
    return Name.compare(0, Pattern.size() - 1, Pattern, 0,
                        Pattern.size() - 1) == 0;
  return Pattern == Name;
}

/// Finds Marker in a line's comment and returns the text after it.
bool findMarker(const std::string &Line, const std::string &Marker,
                std::string &After) {
  size_t Comment = Line.find("//");
  if (Comment == std::string::npos)
    Comment = Line.find("/*");
  if (Comment == std::string::npos)
    return false;
  size_t At = Line.find(Marker, Comment);
  while (At != std::string::npos) {
    size_t End = At + Marker.size();
    // NOLINT must not match the start of NOLINTNEXTLINE.
    if (End >= Line.size() ||
        !std::isalpha(static_cast<unsigned char>(Line[End]))) {
      After = Line.substr(End);
      return true;
    }
    At = Line.find(Marker, End);
  }
  return false;
}

/// True when one of the comma- or space-separated items of List names Rule.
bool listCovers(const std::string &List, const std::string &Rule,
                const std::string &Prefix) {
  std::string Item;
  for (size_t I = 0; I <= List.size(); ++I) {
    char C = I < List.size() ? List[I] : ',';
    if (C == ',' || C == ' ' || C == '\t') {
      if (!Item.empty() && globMatches(Item, Prefix + Rule))
        return true;
      Item.clear();
    } else {
      Item += C;
    }
  }
  return false;
}

/// Python: `# noqa: stallhound-RULE` or `# stallhound: ignore[RULE, ...]`
/// (a bare `# stallhound: ignore` silences every rule; a bare `# noqa` is
/// left to the linters it was written for).
bool pythonCommentSilences(const std::string &Line, const std::string &Rule) {
  size_t Hash = Line.find('#');
  if (Hash == std::string::npos)
    return false;
  std::string Comment = Line.substr(Hash);
  for (size_t At = Comment.find("noqa:"); At != std::string::npos;
       At = Comment.find("noqa:", At + 1)) {
    std::string List = Comment.substr(At + 5);
    List = List.substr(0, List.find('#'));
    if (listCovers(List, Rule, "stallhound-"))
      return true;
  }
  size_t Ignore = Comment.find("stallhound: ignore");
  if (Ignore == std::string::npos)
    return false;
  std::string After = Comment.substr(Ignore + 18);
  if (After.empty() || After[0] != '[')
    return true;
  return listCovers(After.substr(1, After.find(']') - 1), Rule, "");
}

} // namespace

bool nolintCovers(const std::string &AfterMarker, const std::string &Rule) {
  if (AfterMarker.empty() || AfterMarker[0] != '(')
    return true; // a bare NOLINT silences everything
  size_t Close = AfterMarker.find(')');
  std::string List = AfterMarker.substr(
      1, Close == std::string::npos ? std::string::npos : Close - 1);
  std::string Check = "stallhound-" + Rule;
  size_t Start = 0;
  while (Start <= List.size()) {
    size_t Comma = List.find(',', Start);
    std::string Item = trim(List.substr(
        Start, Comma == std::string::npos ? std::string::npos : Comma - Start));
    if (globMatches(Item, Check))
      return true;
    if (Comma == std::string::npos)
      break;
    Start = Comma + 1;
  }
  return false;
}

const std::string *Suppressions::line(const std::string &File, unsigned Line) {
  auto It = Files.find(File);
  if (It == Files.end()) {
    std::vector<std::string> Lines;
    std::ifstream In(File);
    for (std::string L; std::getline(In, L);)
      Lines.push_back(std::move(L));
    It = Files.emplace(File, std::move(Lines)).first;
  }
  if (Line == 0 || Line > It->second.size())
    return nullptr;
  return &It->second[Line - 1];
}

bool Suppressions::silencedAt(const SourceLoc &Loc, const std::string &Rule) {
  if (isPythonSource(Loc.File)) {
    const std::string *L = line(Loc.File, Loc.Line);
    return L && pythonCommentSilences(*L, Rule);
  }
  std::string After;
  if (const std::string *L = line(Loc.File, Loc.Line);
      L && findMarker(*L, "NOLINT", After) && nolintCovers(After, Rule))
    return true;
  if (const std::string *Above = line(Loc.File, Loc.Line - 1);
      Above && findMarker(*Above, "NOLINTNEXTLINE", After) &&
      nolintCovers(After, Rule))
    return true;
  return false;
}

bool Suppressions::suppresses(const Finding &F) {
  if (silencedAt(F.Loc, F.RuleId))
    return true;
  return !F.Chain.empty() && silencedAt(F.Chain.back().Loc, F.RuleId);
}

} // namespace stallhound
