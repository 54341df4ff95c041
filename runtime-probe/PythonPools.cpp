//===- PythonPools.cpp - The worker pools of a CPython process ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonPools.h"

#include "PythonApi.h"

#include <atomic>
#include <cstring>
#include <dlfcn.h>

namespace stallhound::probe {

const char *poolKindName(PoolKind K) {
  switch (K) {
  case PoolKind::AnyioLimiter:
    return "anyio-limiter";
  case PoolKind::ThreadPoolExecutor:
    return "thread-pool-executor";
  }
  return "?";
}

namespace {

using VisitFn = int (*)(PyObjectPtr, void *);
using TraverseFn = int (*)(PyObjectPtr, VisitFn, void *);

/// The C API beyond PythonApi's that reading pools needs.
struct ObjectApi {
  PyObjectPtr (*Type)(PyObjectPtr);
  PyObjectPtr (*CallObject)(PyObjectPtr, PyObjectPtr);
  void (*ErrClear)();
  void (*IncRef)(PyObjectPtr);
  PyObjectPtr (*DictKeys)(PyObjectPtr);
  PyObjectPtr (*DictValues)(PyObjectPtr);
  PyObjectPtr (*SequenceList)(PyObjectPtr);
  PyObjectPtr (*SequenceGetItem)(PyObjectPtr, long);
  long (*ListSize)(PyObjectPtr);
  PyObjectPtr (*ListGetItem)(PyObjectPtr, long); // borrowed
  long (*ObjectSize)(PyObjectPtr);
  double (*FloatAsDouble)(PyObjectPtr);
  void *(*TypeGetSlot)(PyObjectPtr, int);
  /// 3.12 and later: one local, without materializing f_locals.
  PyObjectPtr (*FrameGetVarString)(PyObjectPtr, const char *);
  PyObjectPtr None;
};

constexpr int SlotTraverse = 71; // Py_tp_traverse

template <typename T> bool find(T &Out, const char *Name) {
  Out = reinterpret_cast<T>(dlsym(RTLD_DEFAULT, Name));
  return Out != nullptr;
}

const ObjectApi *objectApi() {
  static std::atomic<int> State{0}; // helper thread only; atomic for forks
  static ObjectApi Api;
  if (int Known = State.load(std::memory_order_acquire))
    return Known == 1 ? &Api : nullptr;
  ObjectApi A = {};
  bool Ok =
      find(A.Type, "PyObject_Type") &&
      find(A.CallObject, "PyObject_CallObject") &&
      find(A.ErrClear, "PyErr_Clear") && find(A.IncRef, "Py_IncRef") &&
      find(A.DictKeys, "PyDict_Keys") && find(A.DictValues, "PyDict_Values") &&
      find(A.SequenceList, "PySequence_List") &&
      find(A.SequenceGetItem, "PySequence_GetItem") &&
      find(A.ListSize, "PyList_Size") &&
      find(A.ListGetItem, "PyList_GetItem") &&
      find(A.ObjectSize, "PyObject_Size") &&
      find(A.FloatAsDouble, "PyFloat_AsDouble") &&
      find(A.TypeGetSlot, "PyType_GetSlot") && find(A.None, "_Py_NoneStruct");
  find(A.FrameGetVarString, "PyFrame_GetVarString");
  if (Ok)
    Api = A;
  State.store(Ok ? 1 : 2, std::memory_order_release);
  return Ok ? &Api : nullptr;
}

/// The reader's state: the API, and the observation being filled.
struct Reader {
  const PythonApi &Py;
  const ObjectApi &X;
  PoolObservation &Out;
  KnownCallFn IsKnown;
};

/// A new reference, dropped at the end of its scope.
class Ref {
public:
  Ref(const PythonApi &Py, PyObjectPtr Object) : Py(&Py), Object(Object) {}
  Ref(Ref &&Other) : Py(Other.Py), Object(Other.Object) {
    Other.Object = nullptr;
  }
  Ref &operator=(Ref &&Other) {
    if (this != &Other) {
      reset();
      Py = Other.Py;
      Object = Other.Object;
      Other.Object = nullptr;
    }
    return *this;
  }
  Ref(const Ref &) = delete;
  Ref &operator=(const Ref &) = delete;
  ~Ref() { reset(); }

  PyObjectPtr get() const { return Object; }
  explicit operator bool() const { return Object != nullptr; }

private:
  void reset() {
    if (Object)
      Py->DecRef(Object);
    Object = nullptr;
  }
  const PythonApi *Py;
  PyObjectPtr Object;
};

/// Object.Name, or null (the lookup's error cleared, never left pending).
Ref attribute(const Reader &R, PyObjectPtr Object, const char *Name) {
  PyObjectPtr Value = Object ? R.Py.GetAttrString(Object, Name) : nullptr;
  if (!Value)
    R.X.ErrClear();
  return Ref(R.Py, Value);
}

bool isNone(const Reader &R, PyObjectPtr Object) { return Object == R.X.None; }

/// Copies a str's text, keeping the end of long ones (the file name).
void copyText(const Reader &R, PyObjectPtr Text, char *Out, size_t Size) {
  Out[0] = '\0';
  const char *Utf8 = Text ? R.Py.UnicodeAsUtf8(Text) : nullptr;
  if (!Utf8) {
    R.X.ErrClear();
    return;
  }
  size_t Length = strlen(Utf8);
  const char *Start = Length >= Size ? Utf8 + Length - (Size - 1) : Utf8;
  memcpy(Out, Start, strlen(Start) + 1);
}

/// The name of Object's type, read from the type (never from the object,
/// whose attribute lookups could run the host's code).
void typeName(const Reader &R, PyObjectPtr Object, char *Out, size_t Size) {
  Out[0] = '\0';
  Ref Type(R.Py, Object ? R.X.Type(Object) : nullptr);
  if (!Type) {
    R.X.ErrClear();
    return;
  }
  Ref Name = attribute(R, Type.get(), "__name__");
  copyText(R, Name.get(), Out, Size);
}

bool hasType(const Reader &R, PyObjectPtr Object, const char *Wanted) {
  char Name[48];
  typeName(R, Object, Name, sizeof(Name));
  return strcmp(Name, Wanted) == 0;
}

long longValue(const Reader &R, PyObjectPtr Number) {
  if (!Number)
    return -1;
  long Value = R.Py.LongAsLong(Number);
  if (Value == -1)
    R.X.ErrClear();
  return Value;
}

/// A list of Container's keys or values (dicts) or items (sequences): a
/// copy, which stays valid whatever happens to the container.
enum class Items { Keys, Values, Elements };
Ref listOf(const Reader &R, PyObjectPtr Container, Items Which) {
  PyObjectPtr List = nullptr;
  if (Container)
    List = Which == Items::Keys     ? R.X.DictKeys(Container)
           : Which == Items::Values ? R.X.DictValues(Container)
                                    : R.X.SequenceList(Container);
  if (!List)
    R.X.ErrClear();
  return Ref(R.Py, List);
}

/// Calls Each(element) for the elements of a list this reader owns.
template <typename EachFn>
void forEach(const Reader &R, const Ref &List, EachFn Each) {
  if (!List)
    return;
  long Size = R.X.ListSize(List.get());
  if (Size < 0)
    R.X.ErrClear();
  for (long I = 0; I < Size; ++I)
    if (PyObjectPtr Element = R.X.ListGetItem(List.get(), I))
      Each(Element);
}

/// The function a code object runs: name, file and def line.
bool describeCode(const Reader &R, PyObjectPtr Code, PythonFrame &Out) {
  Ref Name = attribute(R, Code, "co_name");
  Ref File = attribute(R, Code, "co_filename");
  Ref First = attribute(R, Code, "co_firstlineno");
  copyText(R, Name.get(), Out.Function, sizeof(Out.Function));
  copyText(R, File.get(), Out.File, sizeof(Out.File));
  long Line = longValue(R, First.get());
  Out.FirstLine = Out.Line = Line > 0 ? uint32_t(Line) : 0;
  Out.IsCoroutine = false;
  return Out.Function[0] != '\0';
}

enum Described { Nothing = 0, NameOnly = 1, PythonCode = 2 };

/// What calling Callable runs, through bound methods and functools.partial
/// (asyncio.to_thread submits partial(context.run, function, ...)). Only
/// types whose attributes are plain data are looked into; of anything else,
/// the type's name.
Described describeCallable(const Reader &R, PyObjectPtr Callable,
                           PythonFrame &Out, unsigned Depth = 0) {
  Out.Function[0] = Out.File[0] = '\0';
  Out.Line = Out.FirstLine = 0;
  Out.IsCoroutine = false;
  if (!Callable || isNone(R, Callable) || Depth > 4)
    return Nothing;
  char Type[48];
  typeName(R, Callable, Type, sizeof(Type));
  if (strcmp(Type, "function") == 0) {
    Ref Code = attribute(R, Callable, "__code__");
    return Code && describeCode(R, Code.get(), Out) ? PythonCode : Nothing;
  }
  if (strcmp(Type, "method") == 0) {
    Ref Function = attribute(R, Callable, "__func__");
    return describeCallable(R, Function.get(), Out, Depth + 1);
  }
  if (strcmp(Type, "partial") == 0) {
    Ref Function = attribute(R, Callable, "func");
    Described Got = describeCallable(R, Function.get(), Out, Depth + 1);
    if (Got == PythonCode)
      return Got;
    Ref Arguments = attribute(R, Callable, "args");
    PyObjectPtr First = nullptr;
    if (Arguments && R.X.ObjectSize(Arguments.get()) > 0)
      First = R.X.SequenceGetItem(Arguments.get(), 0);
    else
      R.X.ErrClear();
    Ref FirstRef(R.Py, First);
    PythonFrame Inner;
    if (describeCallable(R, First, Inner, Depth + 1) == PythonCode) {
      Out = Inner;
      return PythonCode;
    }
    return Got;
  }
  if (strcmp(Type, "builtin_function_or_method") == 0) {
    Ref Name = attribute(R, Callable, "__name__");
    copyText(R, Name.get(), Out.Function, sizeof(Out.Function));
  } else {
    memcpy(Out.Function, Type,
           sizeof(Out.Function) < sizeof(Type) ? sizeof(Out.Function)
                                               : sizeof(Type));
    Out.Function[sizeof(Out.Function) - 1] = '\0';
  }
  return Out.Function[0] ? NameOnly : Nothing;
}

/// A local variable of a frame that is not running (a suspended coroutine's,
/// or an outer frame of a thread stopped while the GIL is ours).
Ref localOf(const Reader &R, PyObjectPtr Frame, const char *Name) {
  if (R.X.FrameGetVarString) {
    PyObjectPtr Value = R.X.FrameGetVarString(Frame, Name);
    if (!Value)
      R.X.ErrClear();
    return Ref(R.Py, Value);
  }
  // 3.10 and 3.11: f_locals is a dict, refreshed from the fast locals as a
  // debugger's read does.
  Ref Locals = attribute(R, Frame, "f_locals");
  PyObjectPtr Value =
      Locals ? R.Py.DictGetItemString(Locals.get(), Name) : nullptr;
  if (Value)
    R.X.IncRef(Value);
  return Ref(R.Py, Value);
}

/// The function a task waiting for a limiter token is about to run in a
/// thread: the innermost `func` local among the coroutines it awaits in
/// (anyio's run_sync_in_worker_thread, Starlette's run_in_threadpool).
bool describeWaitingTask(const Reader &R, PyObjectPtr Task, PythonFrame &Out) {
  char Type[48];
  typeName(R, Task, Type, sizeof(Type));
  if (!strstr(Type, "Task"))
    return false;
  PyObjectPtr Coroutine = R.Py.CallMethod(Task, "get_coro", nullptr);
  if (!Coroutine)
    R.X.ErrClear();
  Ref Current(R.Py, Coroutine);
  Described Best = Nothing;
  for (unsigned Depth = 0; Current && Depth < 48; ++Depth) {
    typeName(R, Current.get(), Type, sizeof(Type));
    bool IsCoroutine = strcmp(Type, "coroutine") == 0;
    if (!IsCoroutine && strcmp(Type, "generator") != 0)
      break;
    Ref Frame =
        attribute(R, Current.get(), IsCoroutine ? "cr_frame" : "gi_frame");
    if (Frame && !isNone(R, Frame.get())) {
      Ref Function = localOf(R, Frame.get(), "func");
      PythonFrame Candidate;
      Described Got = describeCallable(R, Function.get(), Candidate);
      if (Got != Nothing && Got >= Best) {
        Out = Candidate;
        Best = Got;
      }
    }
    Ref Next =
        attribute(R, Current.get(), IsCoroutine ? "cr_await" : "gi_yieldfrom");
    if (!Next || isNone(R, Next.get()))
      break;
    Current = std::move(Next);
  }
  return Best != Nothing;
}

/// Adds a pool, or finds it when it was read already; null when full.
PoolState *addPool(const Reader &R, PoolKind Kind, PyObjectPtr Pool,
                   bool &IsNew) {
  IsNew = false;
  for (unsigned I = 0; I < R.Out.PoolCount; ++I)
    if (R.Out.Pools[I].Id == uintptr_t(Pool))
      return &R.Out.Pools[I];
  if (R.Out.PoolCount == PoolObservation::MaxPools)
    return nullptr;
  IsNew = true;
  PoolState &P = R.Out.Pools[R.Out.PoolCount++];
  P = {Kind, uintptr_t(Pool), 0, 0, 0};
  return &P;
}

/// Counts a queued call of pool PoolIndex; names it (Describe) when the
/// caller does not know it yet.
template <typename DescribeFn>
void addCall(const Reader &R, unsigned PoolIndex, PyObjectPtr Call,
             DescribeFn Describe) {
  ++R.Out.Pools[PoolIndex].Queued;
  if (R.Out.CallCount == PoolObservation::MaxCalls)
    return;
  QueuedCall &C = R.Out.Calls[R.Out.CallCount++];
  C.Id = uintptr_t(Call);
  C.Pool = uint8_t(PoolIndex);
  C.Named = false;
  if (!R.IsKnown(C.Id))
    C.Named = Describe(C.Function);
}

uint32_t tokenCount(double Value) {
  if (!(Value >= 0))
    return 0;
  return Value >= 4294967295.0 ? UINT32_MAX : uint32_t(Value);
}

void readLimiter(const Reader &R, PyObjectPtr Limiter) {
  bool IsNew = false;
  PoolState *P = addPool(R, PoolKind::AnyioLimiter, Limiter, IsNew);
  if (!P || !IsNew)
    return;
  Ref Total = attribute(R, Limiter, "_total_tokens");
  double Tokens = Total ? R.X.FloatAsDouble(Total.get()) : -1;
  if (Tokens == -1)
    R.X.ErrClear();
  P->Size = tokenCount(Tokens);
  Ref Borrowers = attribute(R, Limiter, "_borrowers");
  long Borrowed = Borrowers ? R.X.ObjectSize(Borrowers.get()) : -1;
  if (Borrowed < 0)
    R.X.ErrClear();
  P->Busy = Borrowed > 0 ? uint32_t(Borrowed) : 0;
  unsigned Index = unsigned(P - R.Out.Pools);
  Ref Waiting = attribute(R, Limiter, "_wait_queue");
  Ref Tasks = listOf(R, Waiting.get(), Items::Keys);
  forEach(R, Tasks, [&](PyObjectPtr Task) {
    addCall(R, Index, Task, [&](PythonFrame &Function) {
      return describeWaitingTask(R, Task, Function);
    });
  });
}

/// anyio keeps its run variables (the default thread limiter among them) in
/// lowlevel._run_vars: a WeakKeyDictionary of event loop -> {name: value}.
void readAnyioLimiters(const Reader &R, PyObjectPtr Modules) {
  PyObjectPtr Lowlevel = R.Py.DictGetItemString(Modules, "anyio.lowlevel");
  if (!Lowlevel)
    return;
  R.Out.ModulesLoaded = true;
  Ref RunVars = attribute(R, Lowlevel, "_run_vars");
  Ref Data = attribute(R, RunVars.get(), "data");
  Ref PerLoop = listOf(R, Data.get(), Items::Values);
  forEach(R, PerLoop, [&](PyObjectPtr Variables) {
    Ref Values = listOf(R, Variables, Items::Values);
    forEach(R, Values, [&](PyObjectPtr Value) {
      if (hasType(R, Value, "CapacityLimiter"))
        readLimiter(R, Value);
    });
  });
}

/// The objects tp_traverse visits: a SimpleQueue's list of items (3.12 and
/// older) or its items themselves (3.13).
struct Referents {
  static constexpr unsigned Capacity = 1024;
  PyObjectPtr Objects[Capacity];
  unsigned Count = 0;
};

int collectReferent(PyObjectPtr Object, void *Data) {
  auto *Out = static_cast<Referents *>(Data);
  if (Object && Out->Count < Referents::Capacity)
    Out->Objects[Out->Count++] = Object;
  return 0;
}

void readWorkQueue(const Reader &R, unsigned PoolIndex, PyObjectPtr Queue) {
  Ref Type(R.Py, R.X.Type(Queue));
  auto Traverse = reinterpret_cast<TraverseFn>(
      Type ? R.X.TypeGetSlot(Type.get(), SlotTraverse) : nullptr);
  if (!Traverse) {
    R.X.ErrClear();
    return;
  }
  static Referents Found; // the helper thread's
  Found.Count = 0;
  Traverse(Queue, collectReferent, &Found);
  // Owned before anything else runs: reading them may allocate.
  for (unsigned I = 0; I < Found.Count; ++I)
    R.X.IncRef(Found.Objects[I]);
  auto AddItem = [&](PyObjectPtr Item) {
    if (!hasType(R, Item, "_WorkItem"))
      return;
    addCall(R, PoolIndex, Item, [&](PythonFrame &Function) {
      Ref Callable = attribute(R, Item, "fn");
      return describeCallable(R, Callable.get(), Function) != Nothing;
    });
  };
  for (unsigned I = 0; I < Found.Count; ++I) {
    PyObjectPtr Object = Found.Objects[I];
    if (hasType(R, Object, "list")) {
      Ref Elements = listOf(R, Object, Items::Elements);
      forEach(R, Elements, AddItem);
    } else {
      AddItem(Object);
    }
  }
  for (unsigned I = 0; I < Found.Count; ++I)
    R.Py.DecRef(Found.Objects[I]);
  Found.Count = 0;
}

/// The innermost frame of an idle worker is _worker itself, waiting on the
/// queue; a busy one runs the work item's frames above it. A thread still
/// starting has no _worker frame yet: not busy either.
bool workerIsBusy(const Reader &R, PyObjectPtr Frames, PyObjectPtr Thread) {
  Ref Ident = attribute(R, Thread, "ident");
  PyObjectPtr Innermost =
      Ident && Frames ? R.Py.DictGetItem(Frames, Ident.get()) : nullptr;
  if (!Innermost)
    return false;
  R.X.IncRef(Innermost);
  Ref Frame(R.Py, Innermost);
  for (unsigned Depth = 0; Frame && Depth < 64; ++Depth) {
    Ref Code(R.Py, R.Py.FrameGetCode(Frame.get()));
    Ref CodeName = attribute(R, Code.get(), "co_name");
    char Name[40] = "";
    copyText(R, CodeName.get(), Name, sizeof(Name));
    if (strcmp(Name, "_worker") == 0)
      return Depth > 0;
    Frame = Ref(R.Py, R.Py.FrameGetBack(Frame.get()));
  }
  return false;
}

/// Reads the executor a worker thread serves (its target's first argument:
/// a weak reference to the executor), once per executor.
void readExecutorOf(const Reader &R, PyObjectPtr Thread, PyObjectPtr Frames) {
  Ref Arguments = attribute(R, Thread, "_args");
  if (!Arguments || R.X.ObjectSize(Arguments.get()) < 2) {
    R.X.ErrClear();
    return;
  }
  Ref ExecutorRef(R.Py, R.X.SequenceGetItem(Arguments.get(), 0));
  if (!ExecutorRef || !hasType(R, ExecutorRef.get(), "ReferenceType")) {
    R.X.ErrClear();
    return;
  }
  Ref Executor(R.Py, R.X.CallObject(ExecutorRef.get(), nullptr));
  if (!Executor || isNone(R, Executor.get())) {
    R.X.ErrClear();
    return;
  }
  bool IsNew = false;
  PoolState *P =
      addPool(R, PoolKind::ThreadPoolExecutor, Executor.get(), IsNew);
  if (!P)
    return;
  unsigned Index = unsigned(P - R.Out.Pools);
  if (IsNew) {
    Ref Max = attribute(R, Executor.get(), "_max_workers");
    long Workers = longValue(R, Max.get());
    P->Size = Workers > 0 ? uint32_t(Workers) : 0;
    Ref Queue = attribute(R, Executor.get(), "_work_queue");
    if (Queue)
      readWorkQueue(R, Index, Queue.get());
  }
  if (workerIsBusy(R, Frames, Thread))
    ++R.Out.Pools[Index].Busy;
}

/// concurrent.futures.thread._threads_queues holds every live worker thread
/// of every ThreadPoolExecutor (a WeakKeyDictionary thread -> queue).
void readThreadPoolExecutors(const Reader &R, PyObjectPtr Modules) {
  PyObjectPtr Module =
      R.Py.DictGetItemString(Modules, "concurrent.futures.thread");
  if (!Module)
    return;
  R.Out.ModulesLoaded = true;
  Ref Queues = attribute(R, Module, "_threads_queues");
  Ref Data = attribute(R, Queues.get(), "data");
  Ref Threads = listOf(R, Data.get(), Items::Keys);
  if (!Threads)
    return;
  Ref Frames(R.Py, R.Py.CurrentFrames());
  if (!Frames)
    R.X.ErrClear();
  forEach(R, Threads, [&](PyObjectPtr ThreadRef) {
    Ref Thread(R.Py, R.X.CallObject(ThreadRef, nullptr));
    if (!Thread || isNone(R, Thread.get())) {
      R.X.ErrClear();
      return;
    }
    readExecutorOf(R, Thread.get(), Frames.get());
  });
}

} // namespace

bool observePythonPools(PoolObservation &Out, KnownCallFn IsKnown) {
  Out.PoolCount = Out.CallCount = 0;
  Out.ModulesLoaded = false;
  const PythonApi *Py = resolvedPythonApi();
  const ObjectApi *X = objectApi();
  if (!Py || !X || !pythonUsable(*Py))
    return false;
  int Gil = Py->GilEnsure();
  // The host's pending exception, if any, is kept aside: our lookups that
  // fail must neither see it nor leave one behind.
  PyObjectPtr Type, Value, Traceback;
  Py->ErrFetch(&Type, &Value, &Traceback);
  Reader R{*Py, *X, Out, IsKnown};
  if (PyObjectPtr Modules = Py->ImportGetModuleDict()) {
    readAnyioLimiters(R, Modules);
    readThreadPoolExecutors(R, Modules);
  }
  Py->ErrRestore(Type, Value, Traceback);
  Py->GilRelease(Gil);
  return true;
}

} // namespace stallhound::probe
