//===- Settings.cpp - STALLHOUND_* environment settings -------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Settings.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace stallhound::probe {

Settings TheSettings;

namespace {

void complain(const char *Name, const char *Value, const char *Problem,
              const char *Default) {
  char Line[512];
  int N =
      snprintf(Line, sizeof(Line), "stallhound-probe: %s='%s' %s; using %s\n",
               Name, Value, Problem, Default);
  if (N > 0)
    (void)!::write(2, Line, size_t(N) < sizeof(Line) ? N : sizeof(Line) - 1);
}

/// Reads a non-negative decimal number (fractions allowed) scaled by Scale.
void readNumber(const char *Name, uint64_t &Out, double Scale,
                const char *Default, double Min, double Max) {
  const char *Value = secure_getenv(Name);
  if (!Value)
    return;
  char *End = nullptr;
  double Number = strtod(Value, &End);
  if (End == Value || *End != '\0' || Number != Number) {
    complain(Name, Value, "is not a number", Default);
    return;
  }
  if (Number < Min || Number > Max) {
    complain(Name, Value, "is out of range", Default);
    return;
  }
  Out = uint64_t(Number * Scale);
}

void readFlag(const char *Name, bool &Out) {
  const char *Value = secure_getenv(Name);
  if (!Value)
    return;
  if (!strcmp(Value, "1") || !strcasecmp(Value, "yes") ||
      !strcasecmp(Value, "true") || !strcasecmp(Value, "on"))
    Out = true;
  else if (!strcmp(Value, "0") || !strcasecmp(Value, "no") ||
           !strcasecmp(Value, "false") || !strcasecmp(Value, "off"))
    Out = false;
  else
    complain(Name, Value, "is not 0 or 1", Out ? "1" : "0");
}

} // namespace

void readSettings(Settings &S) {
  if (const char *Output = secure_getenv("STALLHOUND_OUTPUT")) {
    if (!*Output || strlen(Output) >= sizeof(S.OutputPattern))
      complain("STALLHOUND_OUTPUT", Output, "is empty or too long",
               S.OutputPattern);
    else
      strcpy(S.OutputPattern, Output);
  }
  if (const char *Fallback = secure_getenv("STALLHOUND_FALLBACK_DIR")) {
    if (Fallback[0] != '/' || strlen(Fallback) >= sizeof(S.FallbackDir))
      complain("STALLHOUND_FALLBACK_DIR", Fallback,
               "is not an absolute path or too long", S.FallbackDir);
    else
      strcpy(S.FallbackDir, Fallback);
  }
  readNumber("STALLHOUND_THRESHOLD_MS", S.ThresholdNs, 1e6, "100", 0.001,
             3.6e6);
  readNumber("STALLHOUND_BLOCKING_MS", S.BlockingNs, 1e6, "1", 0, 3.6e6);
  readNumber("STALLHOUND_FLUSH_MS", S.FlushNs, 1e6, "1000", 10, 3.6e6);
  uint64_t Stacks = S.StacksPerSecond;
  readNumber("STALLHOUND_STACKS_PER_SEC", Stacks, 1, "20", 1, 100000);
  S.StacksPerSecond = unsigned(Stacks);
  readFlag("STALLHOUND_SAMPLE", S.Sample);
  readFlag("STALLHOUND_LATENT", S.ReportLatent);
  readFlag("STALLHOUND_DISABLE", S.Disabled);
  uint64_t Signal = 0;
  readNumber("STALLHOUND_SIGNAL", Signal, 1, "a free real-time signal",
             SIGRTMIN, SIGRTMAX);
  S.SampleSignal = int(Signal);
  uint64_t Root = 0;
  readNumber("STALLHOUND_ROOT_PID", Root, 1, "none", 0, 1u << 30);
  S.RootPid = int(Root);
}

} // namespace stallhound::probe
