//===- PoolSaturation.cpp - Calls that queued for a worker thread ---------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PoolSaturation.h"

#include "Clock.h"
#include "Findings.h"
#include "LoopTracker.h"
#include "PythonPools.h"
#include "ReportWriter.h"

#include <atomic>
#include <cstring>

namespace stallhound::probe {

namespace {

/// How often the helper looks while a loop runs or a pool has work: a queue
/// wait is known within about this much. A look takes about 0.1 ms, the GIL
/// held; only the calls it sees first are walked.
constexpr uint64_t SamplePeriodNs = 100'000'000;
/// How often it looks while neither anyio nor a thread pool is imported.
constexpr uint64_t NoPoolPeriodNs = 1'000'000'000;

// Shared by the watchdog (which asks) and the helper (which looks).
std::atomic<bool> SampleWanted{false};
std::atomic<bool> PoolsHaveWork{false};
std::atomic<bool> PoolModulesLoaded{true}; // until a look says otherwise

// The watchdog's.
uint64_t LastRequestNs = 0;
uint64_t LastIterations = 0;

// The helper's: the calls seen queued, and the waits not recorded yet.
struct TrackedCall {
  uintptr_t Id;
  uint32_t Endpoint; // index into Endpoints
  uint64_t EnqueuedNs;
  uint64_t LastSeenNs;
  uint32_t Sightings;
  bool SeenFull;
  bool Seen; // in the current look
};
constexpr unsigned MaxTracked = 1024;
TrackedCall Tracked[MaxTracked];
unsigned TrackedCount = 0;

struct EndpointWaits {
  PoolKind Kind;
  PythonFrame Function; // empty Function: not named
  uint32_t PoolSize;
  uint32_t MaxQueue;
  uint64_t Count; // pending: not recorded yet
  uint64_t TotalNs;
  uint64_t MaxNs;
};
constexpr unsigned MaxEndpoints = 64;
EndpointWaits Endpoints[MaxEndpoints];
unsigned EndpointCount = 0;
uint64_t LastSampleNs = 0;
PoolObservation Observation; // large: not on the helper's stack

// Read by the report thread, by finding id.
std::atomic<uint32_t> FigureSize[FindingTable::Capacity];
std::atomic<uint32_t> FigureMaxQueue[FindingTable::Capacity];

TrackedCall *findTracked(uintptr_t Id) {
  for (unsigned I = 0; I < TrackedCount; ++I)
    if (Tracked[I].Id == Id)
      return &Tracked[I];
  return nullptr;
}

bool isTracked(uintptr_t Id) { return findTracked(Id) != nullptr; }

bool sameFunction(const PythonFrame &A, const PythonFrame &B) {
  return A.FirstLine == B.FirstLine && strcmp(A.Function, B.Function) == 0 &&
         strcmp(A.File, B.File) == 0;
}

/// The endpoint entry of Function in a pool of Kind; -1 when full.
int endpointOf(PoolKind Kind, const PythonFrame &Function) {
  for (unsigned I = 0; I < EndpointCount; ++I)
    if (Endpoints[I].Kind == Kind &&
        sameFunction(Endpoints[I].Function, Function))
      return int(I);
  if (EndpointCount == MaxEndpoints)
    return -1;
  EndpointWaits &E = Endpoints[EndpointCount];
  memset(&E, 0, sizeof(E));
  E.Kind = Kind;
  E.Function = Function;
  return int(EndpointCount++);
}

/// Starts tracking a call seen queued for the first time: it was queued at
/// some time since the previous look, taken as halfway.
void track(const QueuedCall &Call, const PoolState &Pool, uint64_t PreviousNs,
           uint64_t NowNs) {
  if (TrackedCount == MaxTracked)
    return;
  PythonFrame Unnamed = {};
  int Endpoint = endpointOf(Pool.Kind, Call.Named ? Call.Function : Unnamed);
  if (Endpoint < 0)
    return;
  TrackedCall &T = Tracked[TrackedCount++];
  T.Id = Call.Id;
  T.Endpoint = uint32_t(Endpoint);
  T.EnqueuedNs = PreviousNs + (NowNs - PreviousNs) / 2;
  T.LastSeenNs = NowNs;
  T.Sightings = 0;
  T.SeenFull = false;
  T.Seen = false;
}

/// A call no longer queued left between its last sighting and now: halfway.
/// It counts if it was seen in two looks (it queued for about a period at
/// least: a thread's hand-off is no queue), once with every thread busy.
void accountDeparture(const TrackedCall &T, uint64_t NowNs) {
  if (!T.SeenFull || T.Sightings < 2)
    return;
  uint64_t LeftNs = T.LastSeenNs + (NowNs - T.LastSeenNs) / 2;
  uint64_t WaitNs = LeftNs > T.EnqueuedNs ? LeftNs - T.EnqueuedNs : 0;
  EndpointWaits &E = Endpoints[T.Endpoint];
  ++E.Count;
  E.TotalNs += WaitNs;
  if (WaitNs > E.MaxNs)
    E.MaxNs = WaitNs;
}

/// The loop the waits are told under: the first one (a server has one).
const LoopSlot *firstLoop() {
  for (const LoopSlot &S : LoopSlots)
    if (S.Tid.load(std::memory_order_relaxed) &&
        S.Confirmed.load(std::memory_order_acquire))
      return &S;
  return nullptr;
}

void recordPendingWaits(uint64_t NowNs) {
  const LoopSlot *Loop = firstLoop();
  int Tid = Loop ? Loop->Tid.load(std::memory_order_relaxed) : 0;
  RunPhase Phase = currentRunPhase(Loop);
  StackTrace NoNativeStack;
  NoNativeStack.Depth = 0;
  NoNativeStack.FirstIsPc = false;
  for (unsigned I = 0; I < EndpointCount; ++I) {
    EndpointWaits &E = Endpoints[I];
    if (!E.Count)
      continue;
    PythonStack Function;
    clearPythonStack(Function);
    if (E.Function.Function[0]) {
      Function.Frames[0] = E.Function;
      Function.Depth = 1;
    }
    const char *Call = poolKindName(E.Kind);
    bool IsNew = false;
    int Id = TheFindings.recordBatch(FindingKind::PoolSaturation, Phase, Call,
                                     Tid, NoNativeStack, &Function, E.Count,
                                     E.TotalNs, E.MaxNs, NowNs, &IsNew);
    if (Id >= 0) {
      FigureSize[Id].store(E.PoolSize, std::memory_order_relaxed);
      if (E.MaxQueue > FigureMaxQueue[Id].load(std::memory_order_relaxed))
        FigureMaxQueue[Id].store(E.MaxQueue, std::memory_order_relaxed);
    }
    if (IsNew)
      streamOccurrence(FindingKind::PoolSaturation, Id, Call, Phase, Tid,
                       E.MaxNs, NowNs);
    E.Count = E.TotalNs = E.MaxNs = 0;
  }
}

} // namespace

bool poolSampleDue(uint64_t NowNs) {
  uint64_t Period = PoolModulesLoaded.load(std::memory_order_relaxed)
                        ? SamplePeriodNs
                        : NoPoolPeriodNs;
  if (NowNs - LastRequestNs < Period)
    return false;
  uint64_t Iterations = 0;
  for (const LoopSlot &S : LoopSlots)
    if (S.Tid.load(std::memory_order_relaxed) &&
        S.Confirmed.load(std::memory_order_relaxed))
      Iterations += S.Iterations.load(std::memory_order_relaxed);
  // An idle loop submits nothing: a pool without work cannot fill.
  if (Iterations == LastIterations &&
      !PoolsHaveWork.load(std::memory_order_relaxed))
    return false;
  LastIterations = Iterations;
  LastRequestNs = NowNs;
  SampleWanted.store(true, std::memory_order_release);
  return true;
}

bool takePoolSampleRequest() {
  return SampleWanted.exchange(false, std::memory_order_acquire);
}

void samplePools() {
  if (!observePythonPools(Observation, isTracked))
    return;
  uint64_t NowNs = monotonicNs();
  PoolModulesLoaded.store(Observation.ModulesLoaded, std::memory_order_relaxed);
  bool HaveWork = false;
  for (unsigned I = 0; I < Observation.PoolCount; ++I)
    HaveWork |= Observation.Pools[I].Busy || Observation.Pools[I].Queued;
  PoolsHaveWork.store(HaveWork, std::memory_order_relaxed);
  // After a pause in looking, a new call was queued within about a period.
  uint64_t PreviousNs = LastSampleNs;
  if (!PreviousNs || NowNs - PreviousNs > 2 * SamplePeriodNs)
    PreviousNs = NowNs > SamplePeriodNs ? NowNs - SamplePeriodNs : 0;
  LastSampleNs = NowNs;

  for (unsigned I = 0; I < TrackedCount; ++I)
    Tracked[I].Seen = false;
  for (unsigned I = 0; I < Observation.CallCount; ++I) {
    const QueuedCall &Call = Observation.Calls[I];
    const PoolState &Pool = Observation.Pools[Call.Pool];
    TrackedCall *T = findTracked(Call.Id);
    if (!T) {
      track(Call, Pool, PreviousNs, NowNs);
      T = findTracked(Call.Id);
      if (!T)
        continue;
    }
    T->Seen = true;
    T->LastSeenNs = NowNs;
    ++T->Sightings;
    if (Pool.Size && Pool.Busy >= Pool.Size) {
      T->SeenFull = true;
      EndpointWaits &E = Endpoints[T->Endpoint];
      E.PoolSize = Pool.Size;
      if (Pool.Queued > E.MaxQueue)
        E.MaxQueue = Pool.Queued;
    }
  }
  for (unsigned I = 0; I < TrackedCount;) {
    if (Tracked[I].Seen) {
      ++I;
      continue;
    }
    accountDeparture(Tracked[I], NowNs);
    Tracked[I] = Tracked[--TrackedCount];
  }
  recordPendingWaits(NowNs);
}

void forgetPools() {
  TrackedCount = EndpointCount = 0;
  LastSampleNs = 0;
  PoolsHaveWork = false;
  PoolModulesLoaded = true;
  for (unsigned I = 0; I < FindingTable::Capacity; ++I) {
    FigureSize[I].store(0, std::memory_order_relaxed);
    FigureMaxQueue[I].store(0, std::memory_order_relaxed);
  }
}

bool poolFiguresOf(uint32_t FindingId, PoolFigures &Out) {
  if (FindingId >= FindingTable::Capacity)
    return false;
  Out.Size = FigureSize[FindingId].load(std::memory_order_relaxed);
  Out.MaxQueue = FigureMaxQueue[FindingId].load(std::memory_order_relaxed);
  return Out.Size != 0;
}

} // namespace stallhound::probe
