// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The no-op baseline of bench/server-overhead.py: a preloaded library that
// runs a constructor and exports one function nobody calls, so that what
// preloading any library costs is measured apart from what the probe does.

__attribute__((constructor)) static void noop_loaded(void) {}

int stallhound_noop_preload(void) { return 0; }
