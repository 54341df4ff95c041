//===- PythonGil.cpp - Who holds the GIL, who waits for it ----------------===//

#include "PythonGil.h"

#include "PythonApi.h"

namespace stallhound::probe {

GilWait classifyInterpreterWait(uintptr_t CallSite) {
  GilWait W;
  const PythonApi *Py = resolvedPythonApi();
  if (!Py || CallSite < Py->CodeBegin || CallSite >= Py->CodeEnd ||
      !pythonUsable(*Py) || !Py->GetThisThreadState() || Py->GilCheck())
    return W;
  W.IsGilWait = true;
  if (Py->GilHolderState)
    W.Holder = Py->GilHolderState();
  return W;
}

bool threadHoldsGil() {
  const PythonApi *Py = resolvedPythonApi();
  return Py && pythonUsable(*Py) && Py->GetThisThreadState() && Py->GilCheck();
}

} // namespace stallhound::probe
