//===- Facts.h - What phase 1 learns about one translation unit -*- C++ -*-===//
//
// Facts describe user code only and are plain JSON, so they can be cached per
// translation unit and merged across a whole program in phase 2. Functions are
// named by a hash of their USR, which is the same in every TU.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_FACTS_H
#define STALLHOUND_ANALYZER_FACTS_H

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stallhound {

constexpr int FactsFormatVersion = 1;

struct SourceLoc {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;

  bool operator==(const SourceLoc &O) const = default;
  auto operator<=>(const SourceLoc &O) const = default;
};

/// Something a rule flags inside one function: a blocking call, a CPU loop, a
/// lock held across co_await, a discarded task.
struct Site {
  std::string Rule;
  std::string Call; // blocking callee, guard type, or discarded coroutine
  SourceLoc Loc;
  std::string Detail;               // e.g. the loop bound
  std::optional<SourceLoc> Related; // e.g. where the lock was taken
  std::string RelatedNote;
  bool GilReleased = false; // between Py_BEGIN/END_ALLOW_THREADS
  std::string FdMember;     // the class member the call's fd is, if known
};

struct CallEdge {
  std::string Callee; // function id
  std::string CalleeName;
  SourceLoc Loc;
  bool GilReleased = false;
};

struct FunctionFacts {
  std::string Id;
  std::string Name;
  SourceLoc Loc;
  bool IsCoroutine = false;
  bool IsHandler = false;  // a coroutine that co_awaits
  bool IsGilEntry = false; // CPython calls it with the GIL held
  std::vector<Site> Sites;
  std::vector<CallEdge> Calls;

  /// Adds what Other knows about the same function (another TU, another
  /// template instantiation), without duplicates.
  void mergeFrom(const FunctionFacts &Other);
};

struct TuError {
  SourceLoc Loc; // Line 0 when the error has no position
  std::string Message;
};

struct TuFacts {
  std::string MainFile;
  std::vector<FunctionFacts> Functions;
  std::vector<TuError> Errors;
  std::vector<std::string> Libraries; // e.g. "boost-asio", when included
  /// Members (declId) that some method of the TU makes non-blocking; calls
  /// on them in any TU are not blocking.
  std::vector<std::string> NonBlockingMembers;
  std::vector<std::string> Inputs; // every file the TU read (not saved)
  bool FromCache = false;          // not saved
};

nlohmann::json toJson(const TuFacts &Facts);
/// Throws std::runtime_error naming what is malformed.
TuFacts tuFactsFromJson(const nlohmann::json &J);

nlohmann::json toJson(const SourceLoc &Loc);

} // namespace stallhound

#endif
