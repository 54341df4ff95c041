//===- ReportFile.cpp - A report read through a buffer --------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ReportFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stallhound::report {

namespace {

constexpr size_t BufferBytes = 1 << 20;

LocatedError tooLarge(const std::string &Path, uint64_t Bytes) {
  return LocatedError(Path, {0, 0},
                      "file too large for a report (" +
                          std::to_string(Bytes >> 20) + " MiB; the limit is " +
                          std::to_string(MaxInputBytes >> 20) + " MiB)");
}

} // namespace

ReportFile::ReportFile(const std::string &Path) : Path(Path) {
  Fd = open(Path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (Fd < 0)
    throw LocatedError(Path, {0, 0},
                       std::string("cannot read file: ") + strerror(errno));
  struct stat St;
  std::string Refusal;
  if (fstat(Fd, &St) != 0)
    Refusal = "cannot read file";
  else if (S_ISDIR(St.st_mode))
    Refusal = "is a directory, not a report";
  else if (!S_ISREG(St.st_mode))
    Refusal = "not a regular file (a FIFO, a device or a socket); reports "
              "are files";
  if (Refusal.empty() && uint64_t(St.st_size) > MaxInputBytes) {
    close(Fd);
    throw tooLarge(Path, uint64_t(St.st_size));
  }
  if (!Refusal.empty()) {
    close(Fd);
    throw LocatedError(Path, {0, 0}, Refusal);
  }
  Buffer.resize(BufferBytes);
  Next = End = Buffer.data();
}

ReportFile::ReportFile(const std::string &Text, const std::string &Path)
    : Path(Path), Buffer(Text) {
  Next = Buffer.data();
  End = Next + Buffer.size();
}

ReportFile::~ReportFile() {
  if (Fd >= 0)
    close(Fd);
}

bool ReportFile::fill() {
  if (Fd < 0)
    return false;
  for (;;) {
    ssize_t N = read(Fd, Buffer.data(), Buffer.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      throw LocatedError(Path, {0, 0},
                         std::string("cannot read file: ") + strerror(errno));
    BytesRead += uint64_t(N);
    if (BytesRead > MaxInputBytes)
      throw tooLarge(Path, BytesRead);
    Next = Buffer.data();
    End = Next + N;
    return N > 0;
  }
}

void ReportFile::rewind() {
  Here = TextPosition();
  if (Fd < 0) {
    Next = Buffer.data();
    return;
  }
  if (lseek(Fd, 0, SEEK_SET) != 0)
    throw LocatedError(Path, {0, 0},
                       std::string("cannot read file: ") + strerror(errno));
  BytesRead = 0;
  Next = End = Buffer.data();
}

bool ReportFile::readLine(std::string &Line) {
  Line.clear();
  if (peek() < 0)
    return false;
  while (peek() >= 0) {
    const char *NewLine =
        static_cast<const char *>(memchr(Next, '\n', size_t(End - Next)));
    if (NewLine) {
      Line.append(Next, NewLine);
      Next = NewLine + 1;
      ++Here.Line;
      Here.Column = 1;
      return true;
    }
    Line.append(Next, End);
    Next = End;
  }
  return true;
}

} // namespace stallhound::report
