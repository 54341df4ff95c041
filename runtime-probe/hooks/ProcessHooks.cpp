//===- ProcessHooks.cpp - DNS and process waits on a busy loop thread -----===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "BlockingCalls.h"
#include "RealFunctions.h"

#include <cstdio>
#include <cstdlib>
#include <netdb.h>
#include <sys/resource.h>
#include <sys/wait.h>

using namespace stallhound::probe;

namespace {

using GetaddrinfoFn = int (*)(const char *, const char *, const addrinfo *,
                              addrinfo **);
using GethostbynameFn = hostent *(*)(const char *);
using Gethostbyname2Fn = hostent *(*)(const char *, int);
using GethostbynameRFn = int (*)(const char *, hostent *, char *, size_t,
                                 hostent **, int *);
using Gethostbyname2RFn = int (*)(const char *, int, hostent *, char *, size_t,
                                  hostent **, int *);
using SystemFn = int (*)(const char *);
using WaitpidFn = pid_t (*)(pid_t, int *, int);
using Wait4Fn = pid_t (*)(pid_t, int *, int, rusage *);
using PopenFn = FILE *(*)(const char *, const char *);
using PcloseFn = int (*)(FILE *);

STALLHOUND_REAL(GetaddrinfoFn, getaddrinfo, nullptr)
STALLHOUND_REAL(GethostbynameFn, gethostbyname, nullptr)
STALLHOUND_REAL(Gethostbyname2Fn, gethostbyname2, nullptr)
STALLHOUND_REAL(GethostbynameRFn, gethostbyname_r, nullptr)
STALLHOUND_REAL(Gethostbyname2RFn, gethostbyname2_r, nullptr)
STALLHOUND_REAL(SystemFn, system, nullptr)
STALLHOUND_REAL(WaitpidFn, waitpid, nullptr)
STALLHOUND_REAL(Wait4Fn, wait4, nullptr)
STALLHOUND_REAL(PopenFn, popen, nullptr)
STALLHOUND_REAL(PcloseFn, pclose, nullptr)

} // namespace

STALLHOUND_HOOK int getaddrinfo(const char *Node, const char *Service,
                                const addrinfo *Hints, addrinfo **Result) {
  return timedCall("getaddrinfo", STALLHOUND_CALL_SITE(), [&] {
    return real_getaddrinfo()(Node, Service, Hints, Result);
  });
}

STALLHOUND_HOOK hostent *gethostbyname(const char *Name) {
  return timedCall("gethostbyname", STALLHOUND_CALL_SITE(),
                   [&] { return real_gethostbyname()(Name); });
}

STALLHOUND_HOOK hostent *gethostbyname2(const char *Name, int Family) {
  return timedCall("gethostbyname2", STALLHOUND_CALL_SITE(),
                   [&] { return real_gethostbyname2()(Name, Family); });
}

STALLHOUND_HOOK int gethostbyname_r(const char *Name, hostent *Entry,
                                    char *Buffer, size_t Size, hostent **Result,
                                    int *Error) {
  return timedCall("gethostbyname_r", STALLHOUND_CALL_SITE(), [&] {
    return real_gethostbyname_r()(Name, Entry, Buffer, Size, Result, Error);
  });
}

STALLHOUND_HOOK int gethostbyname2_r(const char *Name, int Family,
                                     hostent *Entry, char *Buffer, size_t Size,
                                     hostent **Result, int *Error) {
  return timedCall("gethostbyname2_r", STALLHOUND_CALL_SITE(), [&] {
    return real_gethostbyname2_r()(Name, Family, Entry, Buffer, Size, Result,
                                   Error);
  });
}

STALLHOUND_HOOK int system(const char *Command) {
  return timedCall("system", STALLHOUND_CALL_SITE(),
                   [&] { return real_system()(Command); });
}

STALLHOUND_HOOK pid_t waitpid(pid_t Pid, int *Status, int Options) {
  CallTicket C = beginCall("waitpid", STALLHOUND_CALL_SITE());
  pid_t Result = real_waitpid()(Pid, Status, Options);
  if (Options & WNOHANG)
    endCallQuietly(C);
  else
    endCall(C, "waitpid", STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK pid_t wait4(pid_t Pid, int *Status, int Options,
                            rusage *Usage) {
  CallTicket C = beginCall("wait4", STALLHOUND_CALL_SITE());
  pid_t Result = real_wait4()(Pid, Status, Options, Usage);
  if (Options & WNOHANG)
    endCallQuietly(C);
  else
    endCall(C, "wait4", STALLHOUND_CALL_SITE());
  return Result;
}

STALLHOUND_HOOK FILE *popen(const char *Command, const char *Mode) {
  return timedCall("popen", STALLHOUND_CALL_SITE(),
                   [&] { return real_popen()(Command, Mode); });
}

STALLHOUND_HOOK int pclose(FILE *Stream) {
  return timedCall("pclose", STALLHOUND_CALL_SITE(),
                   [&] { return real_pclose()(Stream); });
}
