//===- Findings.cpp - Deduplicated stalls and blocking calls --------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Findings.h"

#include "Settings.h"

#include <cstdio>
#include <cstring>
#include <sched.h>

namespace stallhound::probe {

FindingTable TheFindings;

const char *kindName(FindingKind K) {
  switch (K) {
  case FindingKind::Stall:
    return "stall";
  case FindingKind::BlockingCall:
    return "blocking-call";
  case FindingKind::LatentBlocking:
    return "latent-blocking";
  case FindingKind::GilHeldBlocking:
    return "gil-held-blocking";
  case FindingKind::GilContention:
    return "gil-contention";
  case FindingKind::PoolSaturation:
    return "pool-saturation";
  }
  return "?";
}

const char *phaseName(RunPhase P) {
  switch (P) {
  case RunPhase::Startup:
    return "startup";
  case RunPhase::Running:
    return "running";
  case RunPhase::Shutdown:
    return "shutdown";
  case RunPhase::BeforeListen:
    return "startup"; // provisional: the report tells
  }
  return "?";
}

namespace {

uint64_t mix(uint64_t Hash, uint64_t Value) {
  Hash ^= Value;
  return Hash * 0x100000001b3ull;
}

uint64_t mixText(uint64_t Hash, const char *Text) {
  for (const char *C = Text; *C; ++C)
    Hash = mix(Hash, uint8_t(*C));
  return Hash;
}

uint64_t findingKey(FindingKind Kind, RunPhase Phase, const char *Call,
                    const StackTrace &Stack, const PythonStack *Python) {
  uint64_t Hash = 0xcbf29ce484222325ull;
  Hash = mix(Hash, uint64_t(Kind) << 8 | uint64_t(Phase));
  for (const char *C = Call; *C; ++C)
    Hash = mix(Hash, uint8_t(*C));
  // Python code: the native stack is the interpreter's, the same for every
  // call a line of the program leads to, and wherever a sample caught the
  // interpreter in the same Python function.
  bool HasPython = Python && Python->Depth > 0;
  bool PythonOnly = HasPython && (Kind == FindingKind::LatentBlocking ||
                                  Kind == FindingKind::BlockingCall);
  bool NativeInKey = !PythonOnly && !(HasPython && Kind == FindingKind::Stall);
  for (uint32_t I = 0; I < Stack.Depth && NativeInKey; ++I)
    Hash = mix(Hash, Stack.Frames[I]);
  // The interpreter's native stack is the same for every Python handler.
  // A sampled stack (a stall, a GIL holder) catches its code at any line of
  // the same functions: one finding per function, not per line.
  bool Sampled =
      Kind == FindingKind::Stall || Kind == FindingKind::GilContention;
  // A call of Python code is one finding per line of the program that led
  // to it: the first import of a module reads a hundred files through
  // as many library paths, all from the one line that imported it.
  bool ProgramOnly = PythonOnly;
  for (uint32_t I = 0; Python && I < Python->Depth; ++I) {
    const PythonFrame &F = Python->Frames[I];
    if (ProgramOnly && isPythonLibrary(F.File))
      continue;
    Hash = mixText(Hash, F.Function);
    Hash = mixText(Hash, F.File);
    Hash = mix(Hash, Sampled ? F.FirstLine : F.Line);
    // Up to the program's coroutine: the frames kept beyond it vary with
    // the depth of the library code under it.
    if (ProgramOnly && F.IsCoroutine)
      break;
  }
  return Hash;
}

} // namespace

void FindingTable::lock() {
  while (Busy.exchange(true, std::memory_order_acquire))
    sched_yield();
}

int FindingTable::record(FindingKind Kind, RunPhase Phase, const char *Call,
                         int Tid, const StackTrace &Stack,
                         const PythonStack *Python, uint64_t DurationNs,
                         uint64_t NowNs, bool *IsNew) {
  return recordBatch(Kind, Phase, Call, Tid, Stack, Python, 1, DurationNs,
                     DurationNs, NowNs, IsNew);
}

int FindingTable::recordBatch(FindingKind Kind, RunPhase Phase,
                              const char *Call, int Tid,
                              const StackTrace &Stack,
                              const PythonStack *Python, uint64_t Count,
                              uint64_t TotalNs, uint64_t MaxNs, uint64_t NowNs,
                              bool *IsNew) {
  uint64_t Key = findingKey(Kind, Phase, Call, Stack, Python);
  *IsNew = false;
  lock();
  int Id = -1;
  for (unsigned I = 0; I < Size; ++I) {
    if (Records[I].Key == Key && Records[I].Kind == Kind) {
      Id = int(I);
      break;
    }
  }
  if (Id < 0 && Size < Capacity) {
    Id = int(Size++);
    FindingRecord &R = Records[Id];
    memset(&R, 0, sizeof(R));
    R.Key = Key;
    R.Kind = Kind;
    R.Cause = "";
    R.Phase = Phase;
    R.Call = Call;
    R.Tid = Tid;
    R.Id = uint32_t(Id);
    R.FirstNs = NowNs;
    R.Stack = Stack;
    if (Python)
      R.Python = *Python;
    *IsNew = true;
  }
  if (Id >= 0) {
    FindingRecord &R = Records[Id];
    R.Count += Count;
    R.TotalNs += TotalNs;
    if (MaxNs > R.MaxNs)
      R.MaxNs = MaxNs;
    R.LastNs = NowNs;
    // A batch only tells its mean and its longest: one in the longest's
    // bucket, the others in the mean's.
    R.Buckets[durationBucket(MaxNs)] += 1;
    if (Count > 1)
      R.Buckets[durationBucket((TotalNs - MaxNs) / (Count - 1))] +=
          uint32_t(Count - 1);
  }
  unlock();
  if (Id < 0)
    Overflowed.fetch_add(1, std::memory_order_relaxed);
  Version.fetch_add(1, std::memory_order_relaxed);
  return Id;
}

void FindingTable::setCause(int Id, const char *Cause) {
  lock();
  if (Id >= 0 && unsigned(Id) < Size)
    Records[Id].Cause = Cause;
  unlock();
}

void FindingTable::recordAgain(int Id, uint64_t DurationNs, uint64_t NowNs) {
  lock();
  if (Id >= 0 && unsigned(Id) < Size) {
    FindingRecord &R = Records[Id];
    ++R.Count;
    R.TotalNs += DurationNs;
    if (DurationNs > R.MaxNs)
      R.MaxNs = DurationNs;
    R.LastNs = NowNs;
    ++R.Buckets[durationBucket(DurationNs)];
  }
  unlock();
  Version.fetch_add(1, std::memory_order_relaxed);
}

bool FindingTable::copyStack(int Id, StackTrace &Out, PythonStack &OutPython) {
  bool Found = false;
  lock();
  if (Id >= 0 && unsigned(Id) < Size) {
    Out = Records[Id].Stack;
    OutPython = Records[Id].Python;
    Found = true;
  }
  unlock();
  return Found;
}

void FindingTable::snapshot(std::vector<FindingRecord> &Out,
                            std::vector<uint32_t> &NewIds) {
  Out.clear();
  NewIds.clear();
  Out.reserve(Capacity);
  lock();
  for (unsigned I = 0; I < Size; ++I) {
    Out.push_back(Records[I]);
    if (!Records[I].Announced) {
      Records[I].Announced = true;
      NewIds.push_back(I);
    }
  }
  unlock();
}

void FindingTable::clear() {
  Busy.store(false);
  Size = 0;
  StacksSuppressed = 0;
  Overflowed = 0;
  Version = 0;
  for (unsigned P = 0; P < Phases; ++P) {
    StackTokens[P].clear();
    PythonTokens[P].clear();
  }
}

bool FindingTable::TokenBucket::take(uint64_t NowNs, int64_t PerSecond) {
  uint64_t Last = RefillNs.load(std::memory_order_relaxed);
  if (NowNs - Last >= 1'000'000'000u &&
      RefillNs.compare_exchange_strong(Last, NowNs))
    Tokens.store(PerSecond, std::memory_order_relaxed);
  return Tokens.fetch_sub(1, std::memory_order_relaxed) > 0;
}

void FindingTable::TokenBucket::clear() {
  Tokens = 0;
  RefillNs = 0;
}

bool FindingTable::takeStackToken(uint64_t NowNs, RunPhase Phase,
                                  bool CountRefusal) {
  if (StackTokens[bucketOf(Phase)].take(NowNs, TheSettings.StacksPerSecond))
    return true;
  if (CountRefusal)
    StacksSuppressed.fetch_add(1, std::memory_order_relaxed);
  return false;
}

bool FindingTable::takePythonToken(uint64_t NowNs, RunPhase Phase) {
  return PythonTokens[bucketOf(Phase)].take(
      NowNs, 10 * int64_t(TheSettings.StacksPerSecond));
}

void FindingTable::setPeer(int Id, const char *Peer) {
  lock();
  if (Id >= 0 && unsigned(Id) < Size && !Records[Id].Peer[0])
    snprintf(Records[Id].Peer, sizeof(Records[Id].Peer), "%s", Peer);
  unlock();
}

} // namespace stallhound::probe
