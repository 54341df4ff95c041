//===- Facts.h - What phase 1 learns about one translation unit -*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Facts describe user code only and are plain JSON, so they can be cached per
// translation unit and merged across a whole program in phase 2. A function's
// symbol is a hash of its USR, the same in every TU; its id also hashes the
// file that defines it, so that namesakes in different programs of one
// compile database stay apart.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_FACTS_H
#define STALLHOUND_ANALYZER_FACTS_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stallhound {

constexpr int FactsFormatVersion = 2;

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
  std::string Object; // the variable or member the call works on, if known
  /// After the function's first suspension point in source order (or in a
  /// loop that suspends): where a task resumes, not where it was started.
  bool AfterSuspend = false;
};

/// How a call starts its callee, when the callee is a coroutine.
enum class CallStart {
  Call,    // a plain call: for a task, where it runs is not known
  Awaited, // co_await callee(...): it runs where its caller runs
  RunHere, // sync_wait(callee()), task.resume(): on this thread, now
};

struct CallEdge {
  std::string Callee;       // function id, when the TU sees the definition
  std::string CalleeSymbol; // function symbol (resolved in phase 2 otherwise)
  std::string CalleeName;
  SourceLoc Loc;
  bool GilReleased = false;
  CallStart Start = CallStart::Call;
  bool AfterSuspend = false; // see Site::AfterSuspend
  /// The call's result is dropped (a bare expression statement): when the
  /// callee is a Python coroutine function, it never runs.
  bool Discarded = false;
};

/// A function defined in the TU (Id set), or a mark on a function the TU only
/// declares (Id empty: phase 2 finds the definition by Symbol).
struct FunctionFacts {
  std::string Id;
  std::string Symbol;
  std::string Name;
  SourceLoc Loc;
  bool IsCoroutine = false;
  // A coroutine that runs where it is started: it awaits, or it returns a
  // task (not a generator).
  bool IsHandler = false;
  bool IsLoopEntry = false; // the loop runs it: a registered callback, a
                            // coroutine spawned on the loop, an annotation
  bool IsOffloaded = false; // started on a thread pool somewhere
  bool IsGilEntry = false;  // CPython calls it with the GIL held
  /// A decorator may have replaced the function (Python): a call to it need
  /// not create a coroutine.
  bool IsWrapped = false;
  std::vector<Site> Sites;
  std::vector<CallEdge> Calls;

  /// Adds what Other knows about the same function (another TU, another
  /// template instantiation), without duplicates.
  void mergeFrom(const FunctionFacts &Other);
};

struct TuError {
  enum class Kind {
    Parse, // the compiler's own error: the code does not parse
    Crash, // stallhound itself failed on the file (an internal error)
    Setup, // no command, no such file, the compiler could not start
  };
  SourceLoc Loc; // Line 0 when the error has no position
  std::string Message;
  Kind What = Kind::Parse;
};

/// A name a module binds to a function of another module (`from .impl import
/// handler` in a package's __init__.py): calls to Name reach Target.
struct SymbolAlias {
  std::string Name;
  std::string Target;
};

struct TuFacts {
  std::string MainFile;
  std::string Language = "c++"; // or "python": which front end wrote it
  /// The program or library the TU is linked into, as far as its compile
  /// command tells ("" when it does not): calls resolve within it first.
  std::string LinkUnit;
  std::vector<FunctionFacts> Functions;
  std::vector<TuError> Errors;
  std::vector<std::string> Libraries; // e.g. "boost-asio", when included
  /// Members (declId) that some method of the TU makes non-blocking; calls
  /// on them in any TU are not blocking.
  std::vector<std::string> NonBlockingMembers;
  std::vector<SymbolAlias> Aliases;
  std::vector<std::string> Inputs; // every file the TU read (not saved)
  bool FromCache = false;          // not saved
  // What analyzing it cost (not saved): the child process's CPU time and peak
  // resident memory, and what it wrote to stderr (a crash's stack).
  double CpuSeconds = 0;
  uint64_t PeakRssKb = 0;
  std::string Diagnostics;
};

nlohmann::json toJson(const TuFacts &Facts);
/// Throws std::runtime_error naming what is malformed.
TuFacts tuFactsFromJson(const nlohmann::json &J);

nlohmann::json toJson(const SourceLoc &Loc);

const char *errorKindName(TuError::Kind K);
std::optional<TuError::Kind> parseErrorKind(const std::string &Name);

} // namespace stallhound

#endif
