//===- ChildProcesses.cpp - Run work in forked processes, a few at a time -===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "ChildProcesses.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <signal.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stallhound {

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool SanitizerReservesAddressSpace = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||     \
    __has_feature(memory_sanitizer)
constexpr bool SanitizerReservesAddressSpace = true;
#else
constexpr bool SanitizerReservesAddressSpace = false;
#endif
#else
constexpr bool SanitizerReservesAddressSpace = false;
#endif

void closeQuietly(int &Fd) {
  if (Fd >= 0)
    ::close(Fd);
  Fd = -1;
}

/// One read of what is there; false at end of file or on an error.
bool readSome(int Fd, std::string &Into) {
  char Buffer[65536];
  for (;;) {
    ssize_t N = ::read(Fd, Buffer, sizeof Buffer);
    if (N > 0) {
      Into.append(Buffer, static_cast<size_t>(N));
      return true;
    }
    if (N < 0 && errno == EINTR)
      continue;
    return false;
  }
}

} // namespace

bool ChildOutcome::exitedCleanly() const {
  return WIFEXITED(WaitStatus) && WEXITSTATUS(WaitStatus) == 0;
}

std::string ChildOutcome::failure() const {
  if (WIFSIGNALED(WaitStatus)) {
    int Signal = WTERMSIG(WaitStatus);
    return "signal " + std::to_string(Signal) + " (" + strsignal(Signal) + ")";
  }
  if (WIFEXITED(WaitStatus) && WEXITSTATUS(WaitStatus) != 0)
    return "exit status " + std::to_string(WEXITSTATUS(WaitStatus));
  return "";
}

ChildProcesses::~ChildProcesses() {
  for (Child &C : Children) {
    ::kill(C.Pid, SIGKILL);
    ::waitpid(C.Pid, nullptr, 0);
    closeQuietly(C.ResultFd);
    closeQuietly(C.StderrFd);
  }
}

void ChildProcesses::start(size_t Tag,
                           llvm::function_ref<void(int ResultFd)> Work) {
  int Result[2], Errors[2];
  if (::pipe(Result) != 0)
    throw std::runtime_error(std::string("cannot make a pipe: ") +
                             strerror(errno));
  if (::pipe(Errors) != 0) {
    int Saved = errno;
    ::close(Result[0]);
    ::close(Result[1]);
    throw std::runtime_error(std::string("cannot make a pipe: ") +
                             strerror(Saved));
  }
  pid_t Pid = ::fork();
  if (Pid < 0) {
    int Saved = errno;
    for (int Fd : {Result[0], Result[1], Errors[0], Errors[1]})
      ::close(Fd);
    throw std::runtime_error(std::string("cannot start a process: ") +
                             strerror(Saved));
  }
  if (Pid == 0) {
    for (Child &Sibling : Children) {
      ::close(Sibling.ResultFd);
      ::close(Sibling.StderrFd);
    }
    ::close(Result[0]);
    ::close(Errors[0]);
    ::dup2(Errors[1], STDERR_FILENO);
    ::close(Errors[1]);
    if (AddressSpaceLimit && !SanitizerReservesAddressSpace) {
      struct rlimit Limit = {AddressSpaceLimit, AddressSpaceLimit};
      ::setrlimit(RLIMIT_AS, &Limit);
    }
    Work(Result[1]);
    ::close(Result[1]);
    // No destructors, no atexit handlers, no stdio buffers flushed twice: the
    // parent owns all of that.
    ::_exit(0);
  }
  ::close(Result[1]);
  ::close(Errors[1]);
  Child C;
  C.Pid = Pid;
  C.Tag = Tag;
  C.ResultFd = Result[0];
  C.StderrFd = Errors[0];
  Children.push_back(std::move(C));
}

void ChildProcesses::readAvailable() {
  std::vector<pollfd> Fds;
  std::vector<std::pair<size_t, bool>> Owners; // child index, is stderr
  for (size_t I = 0; I < Children.size(); ++I) {
    if (Children[I].ResultFd >= 0) {
      Fds.push_back({Children[I].ResultFd, POLLIN, 0});
      Owners.push_back({I, false});
    }
    if (Children[I].StderrFd >= 0) {
      Fds.push_back({Children[I].StderrFd, POLLIN, 0});
      Owners.push_back({I, true});
    }
  }
  if (Fds.empty())
    return;
  while (::poll(Fds.data(), Fds.size(), -1) < 0)
    if (errno != EINTR)
      throw std::runtime_error(std::string("poll: ") + strerror(errno));
  for (size_t K = 0; K < Fds.size(); ++K) {
    if (!Fds[K].revents)
      continue;
    Child &C = Children[Owners[K].first];
    bool IsStderr = Owners[K].second;
    int &Fd = IsStderr ? C.StderrFd : C.ResultFd;
    if (!readSome(Fd, IsStderr ? C.Outcome.Stderr : C.Outcome.Output))
      closeQuietly(Fd);
  }
}

std::pair<size_t, ChildOutcome> ChildProcesses::waitAny() {
  if (Children.empty())
    throw std::logic_error("waitAny() with no child running");
  for (;;) {
    for (size_t I = 0; I < Children.size(); ++I) {
      Child &C = Children[I];
      if (C.ResultFd >= 0 || C.StderrFd >= 0)
        continue;
      struct rusage Usage {};
      while (::wait4(C.Pid, &C.Outcome.WaitStatus, 0, &Usage) < 0)
        if (errno != EINTR)
          break;
      auto Seconds = [](const timeval &T) {
        return double(T.tv_sec) + double(T.tv_usec) / 1e6;
      };
      C.Outcome.CpuSeconds = Seconds(Usage.ru_utime) + Seconds(Usage.ru_stime);
      C.Outcome.PeakRssKb = static_cast<uint64_t>(Usage.ru_maxrss);
      std::pair<size_t, ChildOutcome> Done{C.Tag, std::move(C.Outcome)};
      Children.erase(Children.begin() + static_cast<std::ptrdiff_t>(I));
      return Done;
    }
    readAvailable();
  }
}

} // namespace stallhound
