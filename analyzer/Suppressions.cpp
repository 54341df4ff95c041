//===- Suppressions.cpp - NOLINT comments, as clang-tidy reads them -------===//

#include "Suppressions.h"

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
