//===- PythonFrames.cpp - The Python stack of a blocking call -------------===//

#include "PythonFrames.h"

#include <atomic>
#include <cstring>
#include <dlfcn.h>

namespace stallhound::probe {

namespace {

using PyObjectPtr = void *;

struct PythonApi {
  int (*IsInitialized)();
  int (*IsFinalizing)();
  void *(*GetThisThreadState)();
  int (*GilCheck)();
  int (*GilEnsure)();
  void (*GilRelease)(int);
  PyObjectPtr (*GetFrame)();
  PyObjectPtr (*FrameGetCode)(PyObjectPtr);
  PyObjectPtr (*FrameGetBack)(PyObjectPtr);
  int (*FrameGetLineNumber)(PyObjectPtr);
  PyObjectPtr (*GetAttrString)(PyObjectPtr, const char *);
  const char *(*UnicodeAsUtf8)(PyObjectPtr);
  long (*LongAsLong)(PyObjectPtr);
  void (*DecRef)(PyObjectPtr);
  void (*ErrFetch)(PyObjectPtr *, PyObjectPtr *, PyObjectPtr *);
  void (*ErrRestore)(PyObjectPtr, PyObjectPtr, PyObjectPtr);
  PyObjectPtr (*CurrentFrames)();
  PyObjectPtr (*DictGetItem)(PyObjectPtr, PyObjectPtr);
  PyObjectPtr (*LongFromUnsignedLong)(unsigned long);
};

template <typename T> bool find(T &Out, const char *Name) {
  Out = reinterpret_cast<T>(dlsym(RTLD_DEFAULT, Name));
  return Out != nullptr;
}

/// Resolved once; null when this process has no (supported) CPython.
const PythonApi *pythonApi() {
  static std::atomic<int> State{0}; // 0 unknown, 1 found, 2 absent
  static PythonApi Api;
  int Known = State.load(std::memory_order_acquire);
  if (Known)
    return Known == 1 ? &Api : nullptr;
  PythonApi A;
  bool Ok = find(A.IsInitialized, "Py_IsInitialized") &&
            (find(A.IsFinalizing, "Py_IsFinalizing") ||
             find(A.IsFinalizing, "_Py_IsFinalizing")) &&
            find(A.GetThisThreadState, "PyGILState_GetThisThreadState") &&
            find(A.GilCheck, "PyGILState_Check") &&
            find(A.GilEnsure, "PyGILState_Ensure") &&
            find(A.GilRelease, "PyGILState_Release") &&
            find(A.GetFrame, "PyEval_GetFrame") &&
            find(A.FrameGetCode, "PyFrame_GetCode") &&
            find(A.FrameGetBack, "PyFrame_GetBack") &&
            find(A.FrameGetLineNumber, "PyFrame_GetLineNumber") &&
            find(A.GetAttrString, "PyObject_GetAttrString") &&
            find(A.UnicodeAsUtf8, "PyUnicode_AsUTF8") &&
            find(A.LongAsLong, "PyLong_AsLong") &&
            find(A.DecRef, "Py_DecRef") && find(A.ErrFetch, "PyErr_Fetch") &&
            find(A.ErrRestore, "PyErr_Restore") &&
            find(A.CurrentFrames, "_PyThread_CurrentFrames") &&
            find(A.DictGetItem, "PyDict_GetItem") &&
            find(A.LongFromUnsignedLong, "PyLong_FromUnsignedLong");
  if (Ok)
    Api = A;
  State.store(Ok ? 1 : 2, std::memory_order_release);
  return Ok ? &Api : nullptr;
}

void copyAttribute(const PythonApi &Py, PyObjectPtr Object, const char *Name,
                   char *Out, size_t Size) {
  Out[0] = '\0';
  PyObjectPtr Value = Py.GetAttrString(Object, Name);
  if (!Value)
    return;
  if (const char *Text = Py.UnicodeAsUtf8(Value)) {
    size_t Length = strlen(Text);
    // Keep the end of long paths: the file name matters most.
    const char *Start = Length >= Size ? Text + Length - (Size - 1) : Text;
    memcpy(Out, Start, strlen(Start) + 1);
  }
  Py.DecRef(Value);
}

constexpr long CoCoroutine = 0x80;

/// Walks from Frame (a borrowed reference) outwards. Needs the GIL.
void walkFrames(const PythonApi *Py, PyObjectPtr Frame, PythonStack &Out) {
  bool Borrowed = true;
  while (Frame && Out.Depth < MaxPythonFrames) {
    PythonFrame &F = Out.Frames[Out.Depth++];
    F.Line = uint32_t(Py->FrameGetLineNumber(Frame));
    F.IsCoroutine = false;
    F.Function[0] = F.File[0] = '\0';
    if (PyObjectPtr Code = Py->FrameGetCode(Frame)) {
      copyAttribute(*Py, Code, "co_name", F.Function, sizeof(F.Function));
      copyAttribute(*Py, Code, "co_filename", F.File, sizeof(F.File));
      if (PyObjectPtr Flags = Py->GetAttrString(Code, "co_flags")) {
        F.IsCoroutine = (Py->LongAsLong(Flags) & CoCoroutine) != 0;
        Py->DecRef(Flags);
      }
      Py->DecRef(Code);
    }
    PyObjectPtr Back = Py->FrameGetBack(Frame); // new reference
    if (!Borrowed)
      Py->DecRef(Frame);
    Frame = Back;
    Borrowed = false;
  }
  if (Frame && !Borrowed)
    Py->DecRef(Frame);
}

} // namespace

bool processRunsPython() { return pythonApi() != nullptr; }

bool capturePythonStack(PythonStack &Out) {
  Out.Depth = 0;
  const PythonApi *Py = pythonApi();
  if (!Py || !Py->IsInitialized() || Py->IsFinalizing() ||
      !Py->GetThisThreadState())
    return false;
  int Gil = Py->GilEnsure();
  PyObjectPtr Type, Value, Traceback;
  Py->ErrFetch(&Type, &Value, &Traceback);
  walkFrames(Py, Py->GetFrame(), Out);
  Py->ErrRestore(Type, Value, Traceback); // also drops our attribute errors
  Py->GilRelease(Gil);
  return Out.Depth > 0;
}

bool capturePythonStackOf(unsigned long ThreadIdent, PythonStack &Out) {
  Out.Depth = 0;
  const PythonApi *Py = pythonApi();
  if (!Py || !Py->IsInitialized() || Py->IsFinalizing())
    return false;
  int Gil = Py->GilEnsure(); // gives this thread a thread state if needed
  PyObjectPtr Type, Value, Traceback;
  Py->ErrFetch(&Type, &Value, &Traceback);
  if (PyObjectPtr Frames = Py->CurrentFrames()) {
    if (PyObjectPtr Key = Py->LongFromUnsignedLong(ThreadIdent)) {
      walkFrames(Py, Py->DictGetItem(Frames, Key), Out); // borrowed
      Py->DecRef(Key);
    }
    Py->DecRef(Frames);
  }
  Py->ErrRestore(Type, Value, Traceback);
  Py->GilRelease(Gil);
  return Out.Depth > 0;
}

} // namespace stallhound::probe
