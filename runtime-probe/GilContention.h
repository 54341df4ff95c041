//===- GilContention.h - Loop time lost waiting for the GIL -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A GIL wait on a busy loop thread is counted in the loop's statistics at
// once (lock-free, by the loop thread) and queued for attribution: the
// probe's Python helper thread later takes the GIL, reads the Python stack of
// the thread that held it (the def endpoint hogging the interpreter) and
// records a gil-contention finding blaming that stack.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_PROBE_GILCONTENTION_H
#define STALLHOUND_PROBE_GILCONTENTION_H

#include <cstdint>

namespace stallhound::probe {

struct LoopSlot;

/// On the loop thread, after a GIL wait of DurationNs that began while
/// Holder held the GIL.
void recordGilWait(LoopSlot *S, uint64_t DurationNs, void *Holder);

/// On the Python helper thread: attributes the GIL waits queued on S.
void attributeGilWaits(LoopSlot &S);

} // namespace stallhound::probe

#endif
