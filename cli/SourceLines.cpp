//===- SourceLines.cpp - Source lines of a probe report's frames ----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Commands.h"

#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Support/Error.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <string>
#include <unistd.h>

namespace stallhound {

namespace {

/// Fills the file and line of native frames from their modules' debug
/// information, off the probed process (heaptrack-style offline
/// symbolization). Returns true when something was added.
bool addSourceLocations(nlohmann::json &Report,
                        llvm::symbolize::LLVMSymbolizer &Symbolizer) {
  bool Added = false;
  for (auto &Finding : Report["findings"]) {
    bool Sampled = Finding.value("sampled", false);
    auto &Stack = Finding["stack"];
    for (size_t I = 0; I < Stack.size() && I < 24; ++I) {
      auto &Frame = Stack[I];
      if (!Frame["file"].is_null() || !Frame["module"].is_string() ||
          !Frame["offset"].is_string())
        continue;
      std::string Module = Frame["module"];
      if (Module.empty())
        continue;
      uint64_t Offset = std::strtoull(
          Frame["offset"].get<std::string>().c_str(), nullptr, 16);
      if (!(I == 0 && Sampled) && Offset > 0)
        --Offset; // inside the call instruction, not after it
      auto Info = Symbolizer.symbolizeCode(
          Module, {Offset, llvm::object::SectionedAddress::UndefSection});
      if (!Info) {
        llvm::consumeError(Info.takeError());
        continue;
      }
      if (Info->Line == 0 || Info->FileName == "<invalid>")
        continue;
      Frame["file"] = Info->FileName;
      Frame["line"] = Info->Line;
      Added = true;
    }
    auto &Handler = Finding["handler"];
    if (!Handler.is_object() || !Handler["file"].is_null())
      continue;
    for (const auto &Frame : Stack) {
      if (Frame["function"] == Handler["name"] &&
          Frame["module"] == Handler["module"]) {
        Handler["file"] = Frame["file"];
        Handler["line"] = Frame["line"];
        break;
      }
    }
  }
  return Added;
}

/// Replaces the report by way of a new temporary file: never through a
/// symlink planted at the temporary name, never over another file.
void rewriteReport(const std::string &Path, const nlohmann::json &Report) {
  std::string Temporary = Path + ".tmp";
  int Fd = open(Temporary.c_str(),
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (Fd < 0) {
    std::cerr << "stallhound: " << Temporary << ": " << std::strerror(errno)
              << "; the report keeps its addresses without source lines\n";
    return;
  }
  std::string Text = Report.dump() + "\n";
  bool Written = true;
  for (size_t Done = 0; Done < Text.size() && Written;) {
    ssize_t N = write(Fd, Text.data() + Done, Text.size() - Done);
    if (N > 0)
      Done += size_t(N);
    else
      Written = N < 0 && errno == EINTR;
  }
  if (close(Fd) != 0 || !Written) {
    unlink(Temporary.c_str());
    return;
  }
  std::rename(Temporary.c_str(), Path.c_str());
}

} // namespace

int runAddSourceLines(int argc, char **argv) {
  llvm::symbolize::LLVMSymbolizer::Options Options;
  Options.Demangle = true;
  llvm::symbolize::LLVMSymbolizer Symbolizer(Options);
  for (int I = 1; I < argc; ++I) {
    std::ifstream In(argv[I]);
    nlohmann::json Report = nlohmann::json::parse(In, nullptr, false);
    In.close();
    if (Report.is_object() && Report["findings"].is_array() &&
        addSourceLocations(Report, Symbolizer))
      rewriteReport(argv[I], Report);
  }
  return 0;
}

} // namespace stallhound
