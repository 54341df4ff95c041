//===- PythonFrames.cpp - The Python stack of a blocking call -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonFrames.h"

#include "PythonApi.h"
#include "PythonCallSite.h"
#include "PythonHandler.h"

#include <cstring>

namespace stallhound::probe {

namespace {

/// Copies a str, keeping the end of long ones: the file name matters most.
void copyText(const PythonApi &Py, PyObjectPtr Value, char *Out, size_t Size) {
  Out[0] = '\0';
  if (!Value)
    return;
  if (const char *Text = Py.UnicodeAsUtf8(Value)) {
    size_t Length = strlen(Text);
    const char *Start = Length >= Size ? Text + Length - (Size - 1) : Text;
    memcpy(Out, Start, strlen(Start) + 1);
  }
}

void copyAttribute(const PythonApi &Py, PyObjectPtr Object, const char *Name,
                   char *Out, size_t Size) {
  PyObjectPtr Value = Py.GetAttrString(Object, Name);
  copyText(Py, Value, Out, Size);
  if (Value)
    Py.DecRef(Value);
}

long longAttribute(const PythonApi &Py, PyObjectPtr Object, const char *Name) {
  PyObjectPtr Value = Py.GetAttrString(Object, Name);
  if (!Value)
    return 0;
  long Result = Py.LongAsLong(Value);
  Py.DecRef(Value);
  return Result;
}

constexpr long CoCoroutine = 0x80;

/// The frame objects walked, for matching a task's coroutine against them:
/// deeper than the frames reported, since a web framework puts a dozen frames
/// between the endpoint and the task's own coroutine. Compared by identity
/// only, while the GIL is held: each running frame keeps its frame object
/// alive.
struct WalkedFrames {
  static constexpr uint32_t Capacity = 64;
  PyObjectPtr Frames[Capacity];
  uint32_t Depth = 0;
};

void readFrame(const PythonApi &Py, PyObjectPtr Frame, PythonFrame &F) {
  F.Line = uint32_t(Py.FrameGetLineNumber(Frame));
  F.FirstLine = 0;
  F.IsCoroutine = false;
  F.Function[0] = F.File[0] = '\0';
  F.Code = 0;
  if (PyObjectPtr Code = Py.FrameGetCode(Frame)) {
    F.Code = reinterpret_cast<uintptr_t>(Code);
    copyAttribute(Py, Code, "co_name", F.Function, sizeof(F.Function));
    copyAttribute(Py, Code, "co_filename", F.File, sizeof(F.File));
    F.FirstLine = uint32_t(longAttribute(Py, Code, "co_firstlineno"));
    F.IsCoroutine = (longAttribute(Py, Code, "co_flags") & CoCoroutine) != 0;
    Py.DecRef(Code);
  }
}

enum class ProgramFrame { No, Function, Coroutine };

/// Reads Frame into Out if it runs one of the program's coroutines or, when
/// AnyFunction, any of the program's code.
ProgramFrame takeIfProgram(const PythonApi &Py, PyObjectPtr Frame,
                           PythonFrame &Out, bool AnyFunction) {
  PyObjectPtr Code = Py.FrameGetCode(Frame);
  if (!Code)
    return ProgramFrame::No;
  bool Coroutine = (longAttribute(Py, Code, "co_flags") & CoCoroutine) != 0;
  char File[sizeof(Out.File)];
  File[0] = '\0';
  if (Coroutine || AnyFunction)
    copyAttribute(Py, Code, "co_filename", File, sizeof(File));
  Py.DecRef(Code);
  if (!isProgramFile(File))
    return ProgramFrame::No;
  readFrame(Py, Frame, Out);
  return Coroutine ? ProgramFrame::Coroutine : ProgramFrame::Function;
}

/// How far the walk goes looking for the program's code past the frames
/// kept: an import nests up to a hundred frames deep.
constexpr uint32_t MaxFramesWalked = 256;

/// Walks from Frame (a borrowed reference) outwards. Needs the GIL.
void walkFrames(const PythonApi &Py, PyObjectPtr Frame, PythonStack &Out,
                WalkedFrames &Walked) {
  bool Borrowed = true;
  bool HasProgramCoroutine = false;
  bool HasProgramFrame = false;
  for (uint32_t Steps = 0;
       Frame && Steps < MaxFramesWalked &&
       (Walked.Depth < WalkedFrames::Capacity || !HasProgramCoroutine);
       ++Steps) {
    if (Walked.Depth < WalkedFrames::Capacity)
      Walked.Frames[Walked.Depth++] = Frame;
    if (Out.Depth == MaxPythonFrames) {
      // Identity only, but the program's code takes the last place: its
      // coroutine (a call made deep in a library still names its endpoint),
      // else, when no frame kept is the program's, its first frame (a stall
      // deep in an import still names the module that imports). The running
      // frame keeps its frame object alive, so the reference can go now.
      if (!HasProgramCoroutine) {
        ProgramFrame Taken = takeIfProgram(
            Py, Frame, Out.Frames[MaxPythonFrames - 1], !HasProgramFrame);
        HasProgramCoroutine = Taken == ProgramFrame::Coroutine;
        HasProgramFrame |= Taken != ProgramFrame::No;
      }
      PyObjectPtr Back = Py.FrameGetBack(Frame);
      if (!Borrowed)
        Py.DecRef(Frame);
      Frame = Back;
      Borrowed = false;
      continue;
    }
    PythonFrame &F = Out.Frames[Out.Depth++];
    readFrame(Py, Frame, F);
    HasProgramFrame |= isProgramFile(F.File);
    HasProgramCoroutine |= F.IsCoroutine && isProgramFile(F.File);
    PyObjectPtr Back = Py.FrameGetBack(Frame); // new reference
    if (!Borrowed)
      Py.DecRef(Frame);
    Frame = Back;
    Borrowed = false;
  }
  if (Frame && !Borrowed)
    Py.DecRef(Frame);
}

/// Whether Task's coroutine runs one of the walked frames.
bool taskRuns(const PythonApi &Py, PyObjectPtr Task,
              const WalkedFrames &Walked) {
  PyObjectPtr Coroutine = Py.CallMethod(Task, "get_coro", nullptr);
  if (!Coroutine)
    return false;
  PyObjectPtr Frame = Py.GetAttrString(Coroutine, "cr_frame");
  Py.DecRef(Coroutine);
  if (!Frame)
    return false;
  bool Found = false;
  for (uint32_t I = 0; I < Walked.Depth && !Found; ++I)
    Found = Walked.Frames[I] == Frame;
  Py.DecRef(Frame);
  return Found;
}

/// The asyncio task running the walked frames: the one among
/// asyncio.tasks._current_tasks (one per running loop) whose coroutine frame
/// is on the stack. The frames are still alive: their thread is stopped
/// while the GIL is ours.
void findTaskName(const PythonApi &Py, const WalkedFrames &Walked,
                  PythonStack &Out) {
  Out.Task[0] = '\0';
  PyObjectPtr Modules = Py.ImportGetModuleDict();
  PyObjectPtr Tasks =
      Modules ? Py.DictGetItemString(Modules, "asyncio.tasks") : nullptr;
  if (!Tasks)
    return;
  PyObjectPtr Current = Py.GetAttrString(Tasks, "_current_tasks");
  if (!Current)
    return;
  long Position = 0;
  PyObjectPtr Loop, Task;
  while (Py.DictNext(Current, &Position, &Loop, &Task)) {
    if (!taskRuns(Py, Task, Walked))
      continue;
    PyObjectPtr Name = Py.CallMethod(Task, "get_name", nullptr);
    copyText(Py, Name, Out.Task, sizeof(Out.Task));
    if (Name)
      Py.DecRef(Name);
    break;
  }
  Py.DecRef(Current);
}

/// With the GIL held and the caller's pending exception saved (attribute
/// lookups that fail must not leak an exception into the host), walks the
/// frame FindFrame returns. FindFrame may set Owner to a reference to drop
/// once the walk is done (the frame's container, or the frame itself).
template <typename FindFrameFn>
bool withGil(const PythonApi &Py, PythonStack &Out, FindFrameFn FindFrame,
             bool OwnThread = false) {
  int Gil = Py.GilEnsure();
  PyObjectPtr Type, Value, Traceback;
  Py.ErrFetch(&Type, &Value, &Traceback);
  WalkedFrames Walked;
  PyObjectPtr Owner = nullptr;
  if (PyObjectPtr Frame = FindFrame(Owner)) {
    walkFrames(Py, Frame, Out, Walked);
    findTaskName(Py, Walked, Out);
    if (OwnThread)
      rememberFrames(Out);
  }
  if (Owner)
    Py.DecRef(Owner);
  Py.ErrRestore(Type, Value, Traceback); // also drops our own errors
  Py.GilRelease(Gil);
  return Out.Depth > 0;
}

} // namespace

bool isPythonLibrary(const char *File) {
  return strstr(File, "/lib/python3") || strncmp(File, "<frozen", 7) == 0;
}

bool processRunsPython() { return resolvePythonApi() != nullptr; }

bool capturePythonStack(PythonStack &Out) {
  clearPythonStack(Out);
  const PythonApi *Py = resolvedPythonApi();
  if (!Py || !pythonUsable(*Py) || !Py->GetThisThreadState())
    return false;
  return withGil(
      *Py, Out,
      [&](PyObjectPtr &) {
        checkCallSiteLayout();
        return Py->GetFrame();
      },
      /*OwnThread=*/true);
}

bool capturePythonStackOf(unsigned long ThreadIdent, PythonStack &Out) {
  clearPythonStack(Out);
  const PythonApi *Py = resolvedPythonApi();
  if (!Py || !pythonUsable(*Py))
    return false;
  return withGil(*Py, Out, [&](PyObjectPtr &Owner) -> PyObjectPtr {
    PyObjectPtr Frames = Owner = Py->CurrentFrames();
    PyObjectPtr Key = Frames ? Py->LongFromUnsignedLong(ThreadIdent) : nullptr;
    if (!Key)
      return nullptr;
    PyObjectPtr Frame = Py->DictGetItem(Frames, Key); // borrowed
    Py->DecRef(Key);
    return Frame;
  });
}

bool capturePythonStackOfState(void *ThreadState, PythonStack &Out) {
  clearPythonStack(Out);
  const PythonApi *Py = resolvedPythonApi();
  if (!Py || !ThreadState || !pythonUsable(*Py))
    return false;
  return withGil(*Py, Out, [&](PyObjectPtr &Owner) -> PyObjectPtr {
    // Only a thread state that is still in the interpreter's list: the
    // thread may have ended since its GIL hold was seen.
    void *Interpreter = Py->InterpreterHead();
    for (void *T = Interpreter ? Py->InterpreterThreadHead(Interpreter)
                               : nullptr;
         T; T = Py->ThreadNext(T))
      if (T == ThreadState)
        return Owner = Py->ThreadStateGetFrame(T); // new reference
    return nullptr;
  });
}

} // namespace stallhound::probe
