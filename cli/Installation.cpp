//===- Installation.cpp - Where the installed pieces are ------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Installation.h"

#include <climits>
#include <cstdlib>
#include <unistd.h>

namespace stallhound {

namespace {

std::string parentOf(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  if (Slash == std::string::npos)
    return ".";
  return Slash == 0 ? "/" : Path.substr(0, Slash);
}

std::string baseName(const std::string &Path) {
  return Path.substr(Path.rfind('/') + 1);
}

} // namespace

std::string installPrefix() {
  char Exe[PATH_MAX];
  ssize_t N = readlink("/proc/self/exe", Exe, sizeof(Exe) - 1);
  if (N <= 0)
    return "";
  Exe[N] = '\0';
  std::string Dir = parentOf(Exe);
  if (baseName(Dir) == "stallhound" && baseName(parentOf(Dir)) == "libexec")
    return parentOf(parentOf(Dir));
  return parentOf(Dir);
}

std::string probeLibraryPath() {
  if (const char *Override = std::getenv("STALLHOUND_PROBE_LIBRARY"))
    return Override;
  std::string Prefix = installPrefix();
  return Prefix.empty() ? "" : Prefix + "/lib/libstallhound-probe.so";
}

std::string analyzerPath() {
  std::string Prefix = installPrefix();
  return Prefix.empty() ? ""
                        : Prefix + "/libexec/stallhound/stallhound-analyzer";
}

std::string builtInRulesDir() {
  return installPrefix() + "/share/stallhound/rules";
}

} // namespace stallhound
