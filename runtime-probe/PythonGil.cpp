//===- PythonGil.cpp - Who holds the GIL, who waits for it ----------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "PythonGil.h"

#include "PythonApi.h"

namespace stallhound::probe {

namespace {

/// Where the runtime tells who holds the GIL (3.11 and older), compare;
/// PyGILState_Check answers 1 for everyone once sub-interpreters exist.
bool holdsGil(const PythonApi &Py, void *Self) {
  if (Py.GilHolderState)
    return Py.GilHolderState() == Self;
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
  if (Py->GilHolderState)
    W.Holder = Py->GilHolderState();
  return W;
}

bool threadHoldsGil() {
  const PythonApi *Py = resolvedPythonApi();
  if (!Py || !pythonUsable(*Py))
    return false;
  void *Self = Py->GetThisThreadState();
  return Self && holdsGil(*Py, Self);
}

} // namespace stallhound::probe
