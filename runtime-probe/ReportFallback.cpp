//===- ReportFallback.cpp - Where reports go when refused -----------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ReportFallback.h"

#include "Settings.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace stallhound::probe {

bool isRefusal(int Error) {
  return Error == EACCES || Error == EPERM || Error == EROFS;
}

bool fallbackDirectory(char *Out, size_t Size) {
  unsigned Uid = unsigned(geteuid());
  int Length =
      snprintf(Out, Size, "%s/stallhound-%u", TheSettings.FallbackDir, Uid);
  if (Length <= 0 || size_t(Length) >= Size)
    return false;
  int MadeError = mkdir(Out, 0700) == 0 ? 0 : errno;
  struct stat St;
  const char *Problem = nullptr;
  if (MadeError && MadeError != EEXIST)
    Problem = strerror(MadeError);
  else if (lstat(Out, &St) != 0)
    Problem = strerror(errno);
  else if (!S_ISDIR(St.st_mode) || St.st_uid != Uid || (St.st_mode & 022))
    Problem = "not a directory of this user that only it may write";
  if (!Problem)
    return true;
  char Line[1200];
  int LineSize =
      snprintf(Line, sizeof(Line),
               "stallhound-probe: fallback directory %s: %s\n", Out, Problem);
  if (LineSize > 0)
    (void)!write(2, Line,
                 size_t(LineSize) < sizeof(Line) ? size_t(LineSize)
                                                 : sizeof(Line) - 1);
  return false;
}

} // namespace stallhound::probe
