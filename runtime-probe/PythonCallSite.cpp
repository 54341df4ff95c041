//===- PythonCallSite.cpp - Which Python code made a call, cheaply --------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonCallSite.h"

#include "PythonApi.h"
#include "PythonHandler.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>

namespace stallhound::probe {

namespace {

/// Where a thread's innermost Python frame is, and how frames chain, in one
/// CPython minor version (64-bit builds with a GIL; from each version's
/// cpython/pystate.h and internal/pycore_frame.h).
struct ChainLayout {
  uint16_t ThreadFrame;  // PyThreadState: the frame, or the _PyCFrame
  int16_t CFrameCurrent; // _PyCFrame.current_frame; -1 where there is none
  uint16_t Code;         // the frame's code object
  uint16_t Previous;     // the calling frame
  uint16_t Position;     // the instruction running in the frame
  bool PositionIsIndex;  // an int instruction index, else a pointer
};

// 3.10 chains frame objects: tstate->frame, f_back, f_code, f_lasti.
constexpr ChainLayout Python310 = {24, -1, 32, 24, 96, true};
// 3.11 and 3.12: tstate->cframe->current_frame, then interpreter frames.
constexpr ChainLayout Python311 = {56, 8, 32, 48, 56, false};
constexpr ChainLayout Python312 = {56, 0, 0, 8, 56, false};
// 3.13: tstate->current_frame; f_executable, previous, instr_ptr.
constexpr ChainLayout Python313 = {72, -1, 0, 8, 56, false};

constexpr unsigned MaxKeyFrames = 64;

std::atomic<CallSiteLayout> State{CallSiteLayout::Unusable};
const ChainLayout *Layout = nullptr;
const char *Problem = "the process runs no CPython the probe knows";
unsigned Minor = 0;
void *(*ThisThreadState)() = nullptr;

unsigned readMinorVersion() {
  if (const auto *Version = reinterpret_cast<const unsigned long *>(
          dlsym(RTLD_DEFAULT, "Py_Version")))
    return (*Version >> 24) == 3 ? (*Version >> 16) & 0xff : 0;
  // 3.10 has no Py_Version: "3.10.13 (main, ...".
  const char *(*GetVersion)() =
      reinterpret_cast<const char *(*)()>(dlsym(RTLD_DEFAULT, "Py_GetVersion"));
  const char *Text = GetVersion ? GetVersion() : nullptr;
  if (!Text || strncmp(Text, "3.", 2) != 0)
    return 0;
  return unsigned(strtoul(Text + 2, nullptr, 10));
}

template <typename T> T load(const char *Base, unsigned Offset) {
  T Value;
  memcpy(&Value, Base + Offset, sizeof(T));
  return Value;
}

const char *innermostFrame(const ChainLayout &L, const char *ThreadState) {
  const char *Frame = load<const char *>(ThreadState, L.ThreadFrame);
  if (L.CFrameCurrent >= 0 && Frame)
    Frame = load<const char *>(Frame, unsigned(L.CFrameCurrent));
  return Frame;
}

uint64_t mix(uint64_t Hash, uint64_t Value) {
  Hash ^= Value;
  return Hash * 0x100000001b3ull;
}

uint64_t positionOf(const ChainLayout &L, const char *Frame) {
  return L.PositionIsIndex ? uint64_t(load<int>(Frame, L.Position))
                           : load<uint64_t>(Frame, L.Position);
}

struct RawFrame {
  uintptr_t Code;
  uint64_t Position;
};

/// The chain of ThreadState, innermost first.
unsigned walkChain(const ChainLayout &L, const char *ThreadState, RawFrame *Out,
                   unsigned Capacity) {
  unsigned N = 0;
  for (const char *F = innermostFrame(L, ThreadState); F && N < Capacity;
       F = load<const char *>(F, L.Previous))
    Out[N++] = {load<uintptr_t>(F, L.Code), positionOf(L, F)};
  return N;
}

/// The calling thread's chain; 0 without a checked layout.
unsigned rawChain(RawFrame *Out, unsigned Capacity) {
  if (State.load(std::memory_order_acquire) != CallSiteLayout::Checked)
    return 0;
  const auto *ThreadState = static_cast<const char *>(ThisThreadState());
  return ThreadState ? walkChain(*Layout, ThreadState, Out, Capacity) : 0;
}

/// Frames read through the C API, by code object and position: a seqlock
/// each, written with the GIL held (one writer at a time), read by hooks.
struct RememberedFrame {
  std::atomic<uint32_t> Sequence; // odd while being written
  std::atomic<uintptr_t> Code;
  std::atomic<uint64_t> Position;
  PythonFrame Frame;
};
constexpr unsigned RememberedCapacity = 1024;
RememberedFrame Remembered[RememberedCapacity];

RememberedFrame &slotOf(const RawFrame &F) {
  uint64_t Hash = mix(mix(0xcbf29ce484222325ull, F.Code), F.Position);
  return Remembered[(Hash >> 20) % RememberedCapacity];
}

void remember(const RawFrame &Raw, const PythonFrame &Frame) {
  RememberedFrame &Slot = slotOf(Raw);
  if (Slot.Code.load(std::memory_order_relaxed) == Raw.Code &&
      Slot.Position.load(std::memory_order_relaxed) == Raw.Position)
    return;
  uint32_t Sequence = Slot.Sequence.load(std::memory_order_relaxed);
  Slot.Sequence.store(Sequence + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  Slot.Code.store(Raw.Code, std::memory_order_relaxed);
  Slot.Position.store(Raw.Position, std::memory_order_relaxed);
  memcpy(&Slot.Frame, &Frame, sizeof(Frame));
  Slot.Sequence.store(Sequence + 2, std::memory_order_release);
}

bool recall(const RawFrame &Raw, PythonFrame &Out) {
  RememberedFrame &Slot = slotOf(Raw);
  uint32_t Before = Slot.Sequence.load(std::memory_order_acquire);
  if ((Before & 1) || Slot.Code.load(std::memory_order_relaxed) != Raw.Code ||
      Slot.Position.load(std::memory_order_relaxed) != Raw.Position)
    return false;
  memcpy(&Out, &Slot.Frame, sizeof(Out));
  std::atomic_thread_fence(std::memory_order_acquire);
  return Slot.Sequence.load(std::memory_order_relaxed) == Before;
}

} // namespace

void findCallSiteLayout() {
  ThisThreadState = reinterpret_cast<void *(*)()>(
      dlsym(RTLD_DEFAULT, "PyGILState_GetThisThreadState"));
  Minor = readMinorVersion();
  Problem = "no known frame layout for this CPython version";
  if (sizeof(void *) != 8 || !ThisThreadState)
    return;
  switch (Minor) {
  case 10:
    Layout = &Python310;
    break;
  case 11:
    Layout = &Python311;
    break;
  case 12:
    Layout = &Python312;
    break;
  case 13:
    Layout = &Python313;
    break;
  default:
    return;
  }
  Problem = nullptr;
  State.store(CallSiteLayout::Unchecked, std::memory_order_release);
}

const char *callSiteLayoutProblem() {
  return callSiteLayout() == CallSiteLayout::Unusable ? Problem : nullptr;
}

unsigned pythonMinorVersion() { return Minor; }

CallSiteLayout callSiteLayout() {
  return State.load(std::memory_order_acquire);
}

uint64_t pythonCallSiteKey() {
  if (State.load(std::memory_order_acquire) != CallSiteLayout::Checked)
    return 0;
  const auto *ThreadState = static_cast<const char *>(ThisThreadState());
  if (!ThreadState)
    return 0;
  const ChainLayout &L = *Layout;
  const char *Frame = innermostFrame(L, ThreadState);
  if (!Frame)
    return 0;
  uint64_t Hash = 0xcbf29ce484222325ull;
  Hash = mix(Hash, positionOf(L, Frame));
  for (unsigned N = 0; Frame && N < MaxKeyFrames;
       ++N, Frame = load<const char *>(Frame, L.Previous))
    Hash = mix(Hash, load<uintptr_t>(Frame, L.Code));
  return Hash | 1; // never 0
}

void rememberFrames(const PythonStack &Stack) {
  RawFrame Raw[MaxKeyFrames];
  unsigned Depth = rawChain(Raw, MaxKeyFrames);
  // The C API's frames are a subsequence of the raw chain (it skips
  // incomplete and shim frames): pair each with the next raw frame of its
  // code object.
  unsigned Next = 0;
  for (uint32_t I = 0; I < Stack.Depth && Next < Depth; ++I) {
    const PythonFrame &Frame = Stack.Frames[I];
    while (Next < Depth && Raw[Next].Code != Frame.Code)
      ++Next;
    if (Next < Depth)
      remember(Raw[Next++], Frame);
  }
}

bool rememberedStack(PythonStack &Out) {
  clearPythonStack(Out);
  RawFrame Raw[MaxKeyFrames];
  unsigned Depth = rawChain(Raw, MaxKeyFrames);
  bool HasProgramCoroutine = false;
  for (unsigned I = 0; I < Depth; ++I) {
    PythonFrame Frame;
    if (!recall(Raw[I], Frame))
      continue;
    bool ProgramCoroutine = Frame.IsCoroutine && !isPythonLibrary(Frame.File);
    if (Out.Depth < MaxPythonFrames) {
      Out.Frames[Out.Depth++] = Frame;
    } else if (!HasProgramCoroutine && ProgramCoroutine) {
      Out.Frames[MaxPythonFrames - 1] = Frame;
    }
    HasProgramCoroutine |= ProgramCoroutine;
    if (Out.Depth == MaxPythonFrames && HasProgramCoroutine)
      break;
  }
  // Only a stack that shows the program's code is worth reporting.
  if (!hasProgramFrame(Out))
    clearPythonStack(Out);
  return Out.Depth > 0;
}

void checkCallSiteLayout() {
  if (State.load(std::memory_order_acquire) != CallSiteLayout::Unchecked)
    return;
  const PythonApi *Py = resolvedPythonApi();
  const auto *ThreadState = static_cast<const char *>(ThisThreadState());
  if (!Py || !ThreadState)
    return;
  PyObjectPtr Frame = Py->GetFrame(); // borrowed
  if (!Frame)
    return; // no Python code running: nothing to compare yet
  RawFrame Raw[MaxKeyFrames];
  unsigned RawDepth = walkChain(*Layout, ThreadState, Raw, MaxKeyFrames);
  // The C API skips frames the raw chain has (3.11's incomplete frames,
  // 3.12's shims): each of its frames must come in the raw chain, in order.
  unsigned Next = 0;
  bool Borrowed = true;
  bool Ok = RawDepth > 0;
  while (Frame && Ok && Next < RawDepth) {
    PyObjectPtr Code = Py->FrameGetCode(Frame);
    auto Wanted = reinterpret_cast<uintptr_t>(Code);
    if (Code)
      Py->DecRef(Code);
    while (Next < RawDepth && Raw[Next].Code != Wanted)
      ++Next;
    Ok = Next < RawDepth;
    ++Next;
    PyObjectPtr Back = Py->FrameGetBack(Frame);
    if (!Borrowed)
      Py->DecRef(Frame);
    Frame = Back;
    Borrowed = false;
  }
  // A raw chain that ended early missed frames the C API has.
  Ok = Ok && (!Frame || RawDepth == MaxKeyFrames);
  if (Frame && !Borrowed)
    Py->DecRef(Frame);
  if (!Ok)
    Problem = "the interpreter's frames are not laid out as expected for its "
              "version";
  State.store(Ok ? CallSiteLayout::Checked : CallSiteLayout::Unusable,
              std::memory_order_release);
}

} // namespace stallhound::probe
