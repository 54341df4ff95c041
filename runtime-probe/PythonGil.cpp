//===- PythonGil.cpp - Who holds the GIL, who waits for it ----------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonGil.h"

#include "PythonApi.h"

namespace stallhound::probe {

namespace {

/// The thread state holding the GIL, where the interpreter tells it: 3.11
/// and older through a function, 3.12 and later in their GIL state.
bool knowsGilHolder(const PythonApi &Py) {
  return Py.GilHolderState || Py.GilFields.Holder;
}

void *gilHolder(const PythonApi &Py) {
  return Py.GilHolderState ? Py.GilHolderState() : gilHolderNow(Py.GilFields);
}

/// PyGILState_Check answers 1 for everyone once sub-interpreters exist:
/// compare with the holder where it is known.
bool holdsGil(const PythonApi &Py, void *Self) {
  if (knowsGilHolder(Py))
    return gilHolder(Py) == Self;
  return Py.GilCheck();
}

} // namespace

GilWait classifyInterpreterWait(uintptr_t CallSite) {
  GilWait W;
  const PythonApi *Py = resolvedPythonApi();
  if (!Py || CallSite < Py->CodeBegin || CallSite >= Py->CodeEnd ||
      !pythonUsable(*Py))
    return W;
  void *Self = Py->GetThisThreadState();
  if (!Self || holdsGil(*Py, Self))
    return W;
  W.IsGilWait = true;
  if (knowsGilHolder(*Py))
    W.Holder = gilHolder(*Py);
  return W;
}

bool threadHoldsGil() {
  const PythonApi *Py = resolvedPythonApi();
  if (!Py || !pythonUsable(*Py))
    return false;
  void *Self = Py->GetThisThreadState();
  return Self && holdsGil(*Py, Self);
}

bool gilLooksFree() {
  const PythonApi *Py = resolvedPythonApi();
  if (!Py || !pythonUsable(*Py))
    return false;
  if (knowsGilHolder(*Py))
    return gilHolder(*Py) == nullptr;
  return !Py->GilCheck();
}

} // namespace stallhound::probe
