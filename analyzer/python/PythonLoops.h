//===- PythonLoops.h - Loops that keep the event loop busy ------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The Python side of the cpu-loop rule: a loop with no await (no suspension
// point) is flagged when its bound is a huge constant, a count a parameter
// decides, loops nested over two inputs, a `while True` nothing leaves, or a
// busy wait (a condition nothing in the loop changes). A pass over the items
// of a request is never flagged.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_PYTHON_PYTHONLOOPS_H
#define STALLHOUND_ANALYZER_PYTHON_PYTHONLOOPS_H

#include "PythonNames.h"
#include "RuleSet.h"

#include <cstdint>
#include <optional>
#include <string>

namespace stallhound::python {

struct LoopLimits {
  int64_t MinIterations = 1000000;
  bool InputDependent = true;
  bool NestedInput = true;
  bool Unbounded = true;
};

/// The cpu-loop rule's options.
LoopLimits loopLimits(const Rule &CpuLoop);

/// Why Loop (a for or while statement) may keep the thread busy, or nothing.
std::optional<std::string> classifyLoop(const Node &Loop, const Scope &S,
                                        const NameResolver &Names,
                                        const LoopLimits &Limits);

} // namespace stallhound::python

#endif
