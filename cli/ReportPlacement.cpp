//===- ReportPlacement.cpp - Where a run's reports landed, and why --------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ReportPlacement.h"
#include "CommandSupport.h"

#include "EventStream.h"

#include <cstdlib>
#include <fnmatch.h>
#include <fstream>
#include <glob.h>
#include <iostream>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stallhound {

namespace {

std::string fallbackParent() {
  const char *Dir = getenv("STALLHOUND_FALLBACK_DIR");
  return Dir && Dir[0] == '/' ? Dir : "/tmp";
}

bool writtenSince(const std::string &Path, time_t Since) {
  struct stat St;
  return stat(Path.c_str(), &St) == 0 && St.st_mtime >= Since;
}

nlohmann::json readJson(const std::string &Path) {
  std::ifstream In(Path);
  return nlohmann::json::parse(In, nullptr, false);
}

/// The report_fallback object of a report, or of a stream's start line.
const nlohmann::json *fallbackOf(const nlohmann::json &Holder) {
  if (!Holder.is_object() || !Holder.contains("report_fallback"))
    return nullptr;
  const nlohmann::json &Fallback = Holder["report_fallback"];
  return Fallback.is_object() ? &Fallback : nullptr;
}

bool wantedByThisRun(const nlohmann::json *Fallback,
                     const std::vector<std::string> &OutputGlobs) {
  if (!Fallback || !(*Fallback)["wanted"].is_string())
    return false;
  std::string Wanted = (*Fallback)["wanted"];
  for (const std::string &Glob : OutputGlobs)
    if (fnmatch(Glob.c_str(), Wanted.c_str(), FNM_PATHNAME) == 0)
      return true;
  return false;
}

const nlohmann::json *startLineFallback(const std::string &Stream,
                                        nlohmann::json &Start) {
  std::ifstream In(Stream);
  std::string Line;
  if (!std::getline(In, Line))
    return nullptr;
  Start = nlohmann::json::parse(Line, nullptr, false);
  return fallbackOf(Start);
}

std::string userName(unsigned Uid) {
  passwd *Entry = getpwuid(uid_t(Uid));
  return Entry ? Entry->pw_name : "uid " + std::to_string(Uid);
}

std::string directoryOf(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? "." : Path.substr(0, Slash);
}

} // namespace

FallbackOutputs findFallbackOutputs(const std::vector<std::string> &OutputGlobs,
                                    time_t Since) {
  FallbackOutputs Found;
  for (const std::string &Dir :
       globFiles(fallbackParent() + "/stallhound-*/")) {
    for (const std::string &Glob : OutputGlobs) {
      std::string Name = Glob.substr(Glob.rfind('/') + 1);
      for (const std::string &Path : globFiles(Dir + Name)) {
        if (Path.size() >= 14 &&
            Path.compare(Path.size() - 14, 14, ".events.ndjson") == 0)
          continue;
        if (writtenSince(Path, Since) &&
            wantedByThisRun(fallbackOf(readJson(Path)["process"]), OutputGlobs))
          Found.Reports.push_back(Path);
      }
      for (const std::string &Stream : globFiles(Dir + eventStreamOf(Name))) {
        std::string Report = Stream.substr(0, Stream.size() - 14) + ".json";
        nlohmann::json Start;
        if (!writtenSince(Stream, Since) || access(Report.c_str(), F_OK) == 0 ||
            !wantedByThisRun(startLineFallback(Stream, Start), OutputGlobs))
          continue;
        Found.StreamsWithoutReport.push_back(Stream);
      }
    }
  }
  return Found;
}

bool isUnusedReport(const std::string &Path) {
  nlohmann::json Report = readJson(Path);
  if (!Report.is_object() || !Report["process"].is_object() ||
      !Report["process"]["credentials_changed"].is_object())
    return false;
  return Report["loops"].is_array() && Report["loops"].empty() &&
         Report["findings"].is_array() && Report["findings"].empty();
}

void printPlacement(const nlohmann::json &Report, const std::string &Path) {
  const nlohmann::json &Process = Report["process"];
  if (!Process.is_object())
    return;
  const nlohmann::json &Changed = Process.contains("credentials_changed")
                                      ? Process["credentials_changed"]
                                      : nlohmann::json();
  if (Changed.is_object()) {
    char At[32];
    snprintf(At, sizeof(At), "%.1f ms", Changed.value("at_ms", 0.0));
    unsigned Uid = Changed.value("uid", 0u);
    std::cerr << "  switched to user " << userName(Uid) << " (uid " << Uid
              << ", gid " << Changed.value("gid", 0u) << ") " << At
              << " after it started\n";
  }
  if (const nlohmann::json *Fallback = fallbackOf(Process)) {
    unsigned Uid = Fallback->value("uid", 0u);
    std::cerr << "  pid " << Process.value("pid", 0) << " runs as user "
              << userName(Uid) << " (uid " << Uid << ") and could not write in "
              << directoryOf(Fallback->value("wanted", "")) << " ("
              << Fallback->value("error", "refused") << "): its report is in "
              << directoryOf(Path) << "/\n";
  }
}

} // namespace stallhound
