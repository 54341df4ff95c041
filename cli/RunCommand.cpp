//===- RunCommand.cpp - stallhound run ------------------------------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Runs a command with libstallhound-probe.so preloaded, forwards signals to
// it, exits with its status and then summarizes the report(s) it produced.
//
//===----------------------------------------------------------------------===//

#include "CommandSupport.h"
#include "Commands.h"
#include "Installation.h"
#include "PreloadTarget.h"
#include "RunSummary.h"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace stallhound {

namespace {

const char *RunUsage = R"(usage: stallhound run [OPTIONS] -- COMMAND [ARGS...]

Runs COMMAND with the runtime probe (libstallhound-probe.so) preloaded. The
probe finds the event-loop threads, times every iteration, catches blocking
calls made while a loop is busy and samples the stack of loops that stay busy
past the threshold. Each process that runs an event loop writes a JSON report
and an NDJSON event stream; a summary of them is printed on stderr when
COMMAND exits. Processes COMMAND forks or executes are probed too.

  --output PATH        report path; %p expands to the pid; a directory gets
                       stallhound-%p.json inside it
                       (default: stallhound-%p.json in the working directory)
  --threshold-ms N     an iteration busier than N ms is a stall (default: 100)
  --no-sample          do not sample stacks with a signal (stalls without a
                       blocking call then have no stack)
  --quiet              print no summary
  -h, --help           show this help
  --version            show the version

A process the output directory refuses (a worker switched from root to
another user before it ran its loop) writes into
$STALLHOUND_FALLBACK_DIR/stallhound-UID (default /tmp); the summary finds it
there and says so.

Settings not covered by options are read from STALLHOUND_* environment
variables (see docs/runtime-probe.md). When COMMAND is node (or a script
run by node), NODE_OPTIONS gets --perf-basic-prof and
--interpreted-frames-native-stack, so that JavaScript functions, compiled or
not, are named; the perf maps are removed after the run.

exit status: COMMAND's exit status; 128+N when COMMAND was killed by signal N;
125 when stallhound itself failed (bad arguments, probe library not found, a
COMMAND the probe cannot be preloaded into: statically linked, set-user-ID or
set-group-ID); 126 when COMMAND could not be executed; 127 when COMMAND was not
found
)";

constexpr int ExitRunFailed = 125;
constexpr int ExitCannotExecute = 126;
constexpr int ExitNotFound = 127;

struct RunOptions {
  std::string Output = "stallhound-%p.json";
  std::string ThresholdMs;
  bool NoSample = false;
  bool Quiet = false;
  std::vector<char *> Command;
};

volatile sig_atomic_t ChildPid = 0;

void forwardSignal(int Signal) {
  if (ChildPid > 0)
    kill(pid_t(ChildPid), Signal);
}

bool parseArguments(int argc, char **argv, RunOptions &O) {
  int I = 1;
  for (; I < argc; ++I) {
    std::string Arg = argv[I];
    auto Value = [&]() -> const char * {
      // `--output -- cmd`: the value is missing, not "--".
      if (I + 1 >= argc || std::strcmp(argv[I + 1], "--") == 0) {
        std::cerr << "stallhound run: error: " << Arg << " needs a value\n";
        return nullptr;
      }
      return argv[++I];
    };
    if (Arg == "--") {
      ++I;
      break;
    }
    if (Arg == "-h" || Arg == "--help") {
      std::cout << RunUsage;
      exit(0);
    }
    if (Arg == "--output" || Arg == "-o") {
      const char *V = Value();
      if (!V)
        return false;
      O.Output = V;
    } else if (Arg == "--threshold-ms") {
      const char *V = Value();
      if (!V)
        return false;
      char *End = nullptr;
      double Ms = strtod(V, &End);
      if (End == V || *End || !(Ms > 0)) {
        std::cerr << "stallhound run: error: --threshold-ms '" << V
                  << "' is not a positive number\n";
        return false;
      }
      O.ThresholdMs = V;
    } else if (Arg == "--no-sample") {
      O.NoSample = true;
    } else if (Arg == "--quiet" || Arg == "-q") {
      O.Quiet = true;
    } else if (!Arg.empty() && Arg[0] == '-') {
      std::cerr << "stallhound run: error: unknown option '" << Arg << "'\n";
      return false;
    } else {
      break; // the command starts here
    }
  }
  for (; I < argc; ++I)
    O.Command.push_back(argv[I]);
  O.Command.push_back(nullptr);
  if (O.Command.size() == 1) {
    std::cerr << "stallhound run: error: no command given\n" << RunUsage;
    return false;
  }
  return true;
}

bool isNode(const std::string &Program) {
  std::string Name = Program.substr(Program.rfind('/') + 1);
  return Name == "node" || Name == "nodejs";
}

/// V8 flags node takes from NODE_OPTIONS: JIT code named in
/// /tmp/perf-PID.map, and interpreted functions given a native frame of
/// their own, so that a route still interpreted (a cold one) has its name on
/// the native stack. Returns whether the perf maps are this run's doing.
bool addNodeFlags() {
  const char *Existing = getenv("NODE_OPTIONS");
  std::string Options = Existing ? Existing : "";
  bool OwnPerfMaps = Options.find("--perf-basic-prof") == std::string::npos;
  for (const char *Flag :
       {"--perf-basic-prof", "--interpreted-frames-native-stack"})
    if (Options.find(Flag) == std::string::npos)
      Options += std::string(Options.empty() ? "" : " ") + Flag;
  setenv("NODE_OPTIONS", Options.c_str(), 1);
  return OwnPerfMaps;
}

[[noreturn]] void execCommand(const RunOptions &O, const std::string &Probe) {
  std::string Preload = Probe;
  if (const char *Existing = getenv("LD_PRELOAD"); Existing && *Existing)
    Preload += std::string(":") + Existing;
  setenv("LD_PRELOAD", Preload.c_str(), 1);
  setenv("STALLHOUND_OUTPUT", O.Output.c_str(), 1);
  setenv("STALLHOUND_ROOT_PID", std::to_string(getpid()).c_str(), 1);
  if (!O.ThresholdMs.empty())
    setenv("STALLHOUND_THRESHOLD_MS", O.ThresholdMs.c_str(), 1);
  if (O.NoSample)
    setenv("STALLHOUND_SAMPLE", "0", 1);
  execvp(O.Command[0], O.Command.data());
  int Error = errno;
  std::cerr << "stallhound run: error: cannot run '" << O.Command[0]
            << "': " << strerror(Error) << "\n";
  _exit(Error == ENOENT ? ExitNotFound : ExitCannotExecute);
}

uint64_t unixMs() {
  timespec Now;
  clock_gettime(CLOCK_REALTIME, &Now);
  return uint64_t(Now.tv_sec) * 1000 + uint64_t(Now.tv_nsec) / 1000000;
}

} // namespace

/// Before the command starts: reports go where they can be written. An
/// existing directory gets stallhound-%p.json inside it; a path that is not
/// a regular file (a FIFO, a device), or a directory no file can be created
/// in, is an error now rather than a lost report later.
bool checkOutput(std::string &Output) {
  struct stat Status;
  if (stat(Output.c_str(), &Status) == 0) {
    if (S_ISDIR(Status.st_mode)) {
      Output += "/stallhound-%p.json";
    } else if (!S_ISREG(Status.st_mode)) {
      std::cerr << "stallhound run: error: --output " << Output
                << " is not a regular file (a FIFO or a device); reports are "
                   "written as files\n";
      return false;
    }
  }
  std::string Dir = Output.substr(0, Output.rfind('/'));
  if (Dir.empty())
    Dir = "/";
  std::string Test =
      Dir + "/.stallhound-write-test-" + std::to_string(getpid());
  int Fd = open(Test.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (Fd < 0) {
    std::cerr << "stallhound run: error: cannot write reports in " << Dir
              << ": " << strerror(errno) << "\n";
    return false;
  }
  close(Fd);
  unlink(Test.c_str());
  return true;
}

int runRun(int argc, char **argv) {
  RunOptions O;
  if (!parseArguments(argc, argv, O))
    return ExitRunFailed;
  std::string Probe = probeLibraryPath();
  if (Probe.empty() || access(Probe.c_str(), R_OK) != 0) {
    std::cerr << "stallhound run: error: probe library not found at '" << Probe
              << "' (set STALLHOUND_PROBE_LIBRARY)\n";
    return ExitRunFailed;
  }
  O.Output = absolutePath(O.Output);
  if (!checkOutput(O.Output))
    return ExitRunFailed;
  if (std::string Obstacle = preloadObstacle(O.Command[0]); !Obstacle.empty()) {
    std::cerr << "stallhound run: error: cannot probe '" << O.Command[0]
              << "': " << Obstacle << "\n";
    return ExitRunFailed;
  }
  bool OwnPerfMaps = isNode(loadedProgram(O.Command[0])) && addNodeFlags();
  time_t Started = time(nullptr);
  uint64_t StartedMs = unixMs();

  // Signals arriving while the child starts are forwarded once it exists.
  struct sigaction Forward = {};
  Forward.sa_handler = forwardSignal;
  sigemptyset(&Forward.sa_mask);
  Forward.sa_flags = SA_RESTART;
  const int Forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
  for (int Signal : Forwarded)
    sigaction(Signal, &Forward, nullptr);

  std::cout.flush();
  std::cerr.flush();
  pid_t Child = fork();
  if (Child < 0) {
    std::cerr << "stallhound run: error: fork failed: " << strerror(errno)
              << "\n";
    return ExitRunFailed;
  }
  if (Child == 0) {
    struct sigaction Default = {};
    Default.sa_handler = SIG_DFL;
    for (int Signal : Forwarded)
      sigaction(Signal, &Default, nullptr);
    execCommand(O, Probe);
  }
  ChildPid = Child;
  int Status = 0;
  while (waitpid(Child, &Status, 0) < 0 && errno == EINTR) {
  }
  ChildPid = 0;
  int ExitCode = WIFEXITED(Status)     ? WEXITSTATUS(Status)
                 : WIFSIGNALED(Status) ? 128 + WTERMSIG(Status)
                                       : ExitRunFailed;
  if (!O.Quiet && ExitCode != ExitNotFound)
    printRunSummary(O.Output, Started, StartedMs);
  // The reports hold the JIT names they need; node leaves its perf maps.
  if (OwnPerfMaps)
    for (int Pid : runProcessIds(O.Output, Started))
      unlink(("/tmp/perf-" + std::to_string(Pid) + ".map").c_str());
  return ExitCode;
}

} // namespace stallhound
