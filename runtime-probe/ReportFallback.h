//===- ReportFallback.h - Where reports go when refused ---------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_REPORTFALLBACK_H
#define STALLHOUND_PROBE_REPORTFALLBACK_H

#include <cstddef>

namespace stallhound::probe {

/// Whether an error creating a file says the directory refuses this process
/// (its user, a read-only mount), rather than that the path is wrong.
bool isRefusal(int Error);

/// The directory for reports the output directory refused:
/// STALLHOUND_FALLBACK_DIR/stallhound-EUID (default /tmp/stallhound-EUID),
/// created 0700 by the current user. An existing one must be a directory of
/// that user that nobody else may write (not a symlink). Fills Out, or
/// returns false after one line on stderr.
bool fallbackDirectory(char *Out, size_t Size);

} // namespace stallhound::probe

#endif
