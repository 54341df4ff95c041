//===- ReportFile.h - A report read through a buffer ------------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Reports are machine-written and can be hundreds of megabytes: they are read
// a buffer at a time, never whole, with the line and column of the next byte
// so that errors can name them.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_REPORT_REPORTFILE_H
#define STALLHOUND_REPORT_REPORTFILE_H

#include "JsonText.h"

#include <cstdint>
#include <string>

namespace stallhound::report {

/// Larger inputs are refused (a probe report holds at most 512 findings).
constexpr uint64_t MaxInputBytes = 256ull << 20;

class ReportFile {
public:
  /// Opens a regular file of at most MaxInputBytes without blocking, checked
  /// on the open descriptor: a FIFO, a device (a symlink to /dev/zero), a
  /// socket or a directory is refused before anything is read, and a file
  /// that grows while it is read stops at the limit. Throws LocatedError.
  explicit ReportFile(const std::string &Path);
  /// A report already in memory (Path names it in errors).
  ReportFile(const std::string &Text, const std::string &Path);
  ~ReportFile();
  ReportFile(const ReportFile &) = delete;
  ReportFile &operator=(const ReportFile &) = delete;

  const std::string &path() const { return Path; }

  /// The next byte, or -1 at the end of the file.
  int peek() {
    if (Next == End && !fill())
      return -1;
    return static_cast<unsigned char>(*Next);
  }
  /// Moves past the next byte (there must be one).
  void advance() {
    unsigned char C = static_cast<unsigned char>(*Next++);
    if (C == '\n') {
      ++Here.Line;
      Here.Column = 1;
    } else if ((C & 0xC0) != 0x80) {
      ++Here.Column; // code points, not UTF-8 continuation bytes
    }
  }
  /// Where the next byte is.
  TextPosition position() const { return Here; }

  /// Back to the first byte, to read the file again.
  void rewind();

  /// The next line without its '\n'; false at the end of the file.
  bool readLine(std::string &Line);

  [[noreturn]] void fail(TextPosition Pos, const std::string &Message) const {
    throw LocatedError(Path, Pos, Message);
  }

private:
  std::string Path;
  int Fd = -1;
  std::string Buffer;
  const char *Next = nullptr, *End = nullptr;
  uint64_t BytesRead = 0;
  TextPosition Here;

  bool fill();
};

} // namespace stallhound::report

#endif
