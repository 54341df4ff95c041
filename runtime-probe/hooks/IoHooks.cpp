//===- IoHooks.cpp - File and socket I/O on a busy loop thread ------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "BlockingCalls.h"
#include "ProbeFds.h"
#include "RealFunctions.h"
#include "ReportWriter.h"
#include "ServingPhase.h"
#include "StackSampler.h"

#include <cstdarg>
#include <cstdio>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

using namespace stallhound::probe;

namespace {

using ReadFn = ssize_t (*)(int, void *, size_t);
using WriteFn = ssize_t (*)(int, const void *, size_t);
using PreadFn = ssize_t (*)(int, void *, size_t, off_t);
using PwriteFn = ssize_t (*)(int, const void *, size_t, off_t);
using ReadvFn = ssize_t (*)(int, const iovec *, int);
using RecvFn = ssize_t (*)(int, void *, size_t, int);
using RecvfromFn = ssize_t (*)(int, void *, size_t, int, sockaddr *,
                               socklen_t *);
using RecvmsgFn = ssize_t (*)(int, msghdr *, int);
using SendFn = ssize_t (*)(int, const void *, size_t, int);
using SendtoFn = ssize_t (*)(int, const void *, size_t, int, const sockaddr *,
                             socklen_t);
using SendmsgFn = ssize_t (*)(int, const msghdr *, int);
using ConnectFn = int (*)(int, const sockaddr *, socklen_t);
using AcceptFn = int (*)(int, sockaddr *, socklen_t *);
using Accept4Fn = int (*)(int, sockaddr *, socklen_t *, int);
using OpenFn = int (*)(const char *, int, ...);
using OpenatFn = int (*)(int, const char *, int, ...);
using SyncFn = int (*)(int);
using CloseFn = int (*)(int);
using CloseRangeFn = int (*)(unsigned, unsigned, int);
using CloseFromFn = void (*)(int);
using ListenFn = int (*)(int, int);
using ReadChkFn = ssize_t (*)(int, void *, size_t, size_t);
using RecvChkFn = ssize_t (*)(int, void *, size_t, size_t, int);
using FopenFn = FILE *(*)(const char *, const char *);
using FreadFn = size_t (*)(void *, size_t, size_t, FILE *);

STALLHOUND_REAL(ReadFn, read, nullptr)
STALLHOUND_REAL(WriteFn, write, nullptr)
STALLHOUND_REAL(PreadFn, pread, nullptr)
STALLHOUND_REAL(PreadFn, pread64, nullptr)
STALLHOUND_REAL(PwriteFn, pwrite, nullptr)
STALLHOUND_REAL(PwriteFn, pwrite64, nullptr)
STALLHOUND_REAL(ReadvFn, readv, nullptr)
STALLHOUND_REAL(ReadvFn, writev, nullptr)
STALLHOUND_REAL(RecvFn, recv, nullptr)
STALLHOUND_REAL(RecvfromFn, recvfrom, nullptr)
STALLHOUND_REAL(RecvmsgFn, recvmsg, nullptr)
STALLHOUND_REAL(SendFn, send, nullptr)
STALLHOUND_REAL(SendtoFn, sendto, nullptr)
STALLHOUND_REAL(SendmsgFn, sendmsg, nullptr)
STALLHOUND_REAL(ConnectFn, connect, nullptr)
STALLHOUND_REAL(AcceptFn, accept, nullptr)
STALLHOUND_REAL(Accept4Fn, accept4, nullptr)
STALLHOUND_REAL(OpenFn, open, nullptr)
STALLHOUND_REAL(OpenFn, open64, nullptr)
STALLHOUND_REAL(OpenatFn, openat, nullptr)
STALLHOUND_REAL(OpenatFn, openat64, nullptr)
STALLHOUND_REAL(CloseFn, close, nullptr)
STALLHOUND_REAL(CloseRangeFn, close_range, nullptr)
STALLHOUND_REAL(CloseFromFn, closefrom, nullptr)
STALLHOUND_REAL(ListenFn, listen, nullptr)
STALLHOUND_REAL(SyncFn, fsync, nullptr)
STALLHOUND_REAL(SyncFn, fdatasync, nullptr)
STALLHOUND_REAL(ReadChkFn, __read_chk, nullptr)
STALLHOUND_REAL(RecvChkFn, __recv_chk, nullptr)
STALLHOUND_REAL(FopenFn, fopen, nullptr)
STALLHOUND_REAL(FopenFn, fopen64, nullptr)
STALLHOUND_REAL(FreadFn, fread, nullptr)

bool needsMode(int Flags) {
  return (Flags & O_CREAT) || (Flags & O_TMPFILE) == O_TMPFILE;
}

} // namespace

// Calls on a file descriptor: classified after the call (non-blocking fds are
// no finding); a known non-blocking fd is not even timed.
#define FD_HOOK(RET, NAME, CALLNAME, FD, FLAGS, PARAMS, ARGS)                  \
  STALLHOUND_HOOK RET NAME PARAMS {                                            \
    if (cannotBlock(FD, FLAGS))                                                \
      return real_##NAME() ARGS;                                               \
    CallTicket C = beginCall(CALLNAME, STALLHOUND_CALL_SITE());                \
    RET Result = real_##NAME() ARGS;                                           \
    endFdCall(C, CALLNAME, FD, FLAGS, STALLHOUND_CALL_SITE());                 \
    return Result;                                                             \
  }

FD_HOOK(ssize_t, read, "read", Fd, 0, (int Fd, void *Buffer, size_t Size),
        (Fd, Buffer, Size))
FD_HOOK(ssize_t, write, "write", Fd, 0,
        (int Fd, const void *Buffer, size_t Size), (Fd, Buffer, Size))
FD_HOOK(ssize_t, pread, "pread", Fd, 0,
        (int Fd, void *Buffer, size_t Size, off_t Offset),
        (Fd, Buffer, Size, Offset))
FD_HOOK(ssize_t, pread64, "pread", Fd, 0,
        (int Fd, void *Buffer, size_t Size, off_t Offset),
        (Fd, Buffer, Size, Offset))
FD_HOOK(ssize_t, pwrite, "pwrite", Fd, 0,
        (int Fd, const void *Buffer, size_t Size, off_t Offset),
        (Fd, Buffer, Size, Offset))
FD_HOOK(ssize_t, pwrite64, "pwrite", Fd, 0,
        (int Fd, const void *Buffer, size_t Size, off_t Offset),
        (Fd, Buffer, Size, Offset))
FD_HOOK(ssize_t, readv, "readv", Fd, 0,
        (int Fd, const iovec *Vector, int Count), (Fd, Vector, Count))
FD_HOOK(ssize_t, writev, "writev", Fd, 0,
        (int Fd, const iovec *Vector, int Count), (Fd, Vector, Count))
FD_HOOK(ssize_t, recv, "recv", Fd, Flags,
        (int Fd, void *Buffer, size_t Size, int Flags),
        (Fd, Buffer, Size, Flags))
FD_HOOK(ssize_t, recvfrom, "recvfrom", Fd, Flags,
        (int Fd, void *Buffer, size_t Size, int Flags, sockaddr *From,
         socklen_t *FromSize),
        (Fd, Buffer, Size, Flags, From, FromSize))
FD_HOOK(ssize_t, recvmsg, "recvmsg", Fd, Flags,
        (int Fd, msghdr *Message, int Flags), (Fd, Message, Flags))
FD_HOOK(ssize_t, send, "send", Fd, Flags,
        (int Fd, const void *Buffer, size_t Size, int Flags),
        (Fd, Buffer, Size, Flags))
FD_HOOK(ssize_t, sendto, "sendto", Fd, Flags,
        (int Fd, const void *Buffer, size_t Size, int Flags, const sockaddr *To,
         socklen_t ToSize),
        (Fd, Buffer, Size, Flags, To, ToSize))
FD_HOOK(ssize_t, sendmsg, "sendmsg", Fd, Flags,
        (int Fd, const msghdr *Message, int Flags), (Fd, Message, Flags))
FD_HOOK(int, connect, "connect", Fd, 0,
        (int Fd, const sockaddr *Address, socklen_t Size), (Fd, Address, Size))
FD_HOOK(int, accept, "accept", Fd, 0,
        (int Fd, sockaddr *Address, socklen_t *Size), (Fd, Address, Size))
FD_HOOK(int, accept4, "accept4", Fd, 0,
        (int Fd, sockaddr *Address, socklen_t *Size, int Flags),
        (Fd, Address, Size, Flags))
FD_HOOK(ssize_t, __read_chk, "read", Fd, 0,
        (int Fd, void *Buffer, size_t Size, size_t BufferSize),
        (Fd, Buffer, Size, BufferSize))
FD_HOOK(ssize_t, __recv_chk, "recv", Fd, Flags,
        (int Fd, void *Buffer, size_t Size, size_t BufferSize, int Flags),
        (Fd, Buffer, Size, BufferSize, Flags))

// Not a finding: the fd's number may come back as another kind of file.
STALLHOUND_HOOK int listen(int Fd, int Backlog) {
  int Result = real_listen()(Fd, Backlog);
  if (Result == 0) {
    ErrnoKeeper KeepErrno;
    noteListening(Fd);
  }
  return Result;
}

STALLHOUND_HOOK int close(int Fd) {
  waitForProbeOpens();
  noteHostClosedFd(Fd);
  forgetFd(Fd);
  noteLoopFdClosed(Fd);
  noteClosing(Fd);
  hostClosesFd(Fd);
  return real_close()(Fd);
}

/// The probe's own numbers (libunwind's pipe, the report files) that a
/// host's close_range or closefrom takes: what close() would have noted.
void hostClosesRange(unsigned First, unsigned Last) {
  int Fds[4];
  reportFiles(Fds[0], Fds[1]);
  unwinderPipe(Fds[2], Fds[3]);
  for (int Fd : Fds)
    if (Fd >= 0 && unsigned(Fd) >= First && unsigned(Fd) <= Last) {
      noteHostClosedFd(Fd);
      hostClosesFd(Fd);
    }
}

// Daemons close every fd they do not know with one call.
STALLHOUND_HOOK int close_range(unsigned First, unsigned Last, int Flags) {
  waitForProbeOpens();
  if (!(Flags & CLOSE_RANGE_CLOEXEC))
    hostClosesRange(First, Last);
  return real_close_range()(First, Last, Flags);
}

STALLHOUND_HOOK void closefrom(int Lowest) {
  waitForProbeOpens();
  hostClosesRange(unsigned(Lowest < 0 ? 0 : Lowest), ~0u);
  real_closefrom()(Lowest);
}

// Calls that touch the file system: always blocking.
STALLHOUND_HOOK int fsync(int Fd) {
  return timedCall("fsync", STALLHOUND_CALL_SITE(),
                   [&] { return real_fsync()(Fd); });
}

STALLHOUND_HOOK int fdatasync(int Fd) {
  return timedCall("fdatasync", STALLHOUND_CALL_SITE(),
                   [&] { return real_fdatasync()(Fd); });
}

/// The mode argument of open/openat, present only with O_CREAT/O_TMPFILE.
#define READ_OPEN_MODE(Flags, Mode)                                            \
  mode_t Mode = 0;                                                             \
  if (needsMode(Flags)) {                                                      \
    va_list Arguments;                                                         \
    va_start(Arguments, Flags);                                                \
    Mode = mode_t(va_arg(Arguments, int));                                     \
    va_end(Arguments);                                                         \
  }

#define OPEN_HOOK(NAME)                                                        \
  STALLHOUND_HOOK int NAME(const char *Path, int Flags, ...) {                 \
    READ_OPEN_MODE(Flags, Mode)                                                \
    CallTicket C = beginCall("open", STALLHOUND_CALL_SITE());                  \
    int Fd = real_##NAME()(Path, Flags, Mode);                                 \
    endOpenCall(C, Path, Flags, Fd, STALLHOUND_CALL_SITE());                   \
    return Fd;                                                                 \
  }

OPEN_HOOK(open)
OPEN_HOOK(open64)

#define OPENAT_HOOK(NAME)                                                      \
  STALLHOUND_HOOK int NAME(int Directory, const char *Path, int Flags, ...) {  \
    READ_OPEN_MODE(Flags, Mode)                                                \
    CallTicket C = beginCall("open", STALLHOUND_CALL_SITE());                  \
    int Fd = real_##NAME()(Directory, Path, Flags, Mode);                      \
    endOpenCall(C, Path, Flags, Fd, STALLHOUND_CALL_SITE());                   \
    return Fd;                                                                 \
  }

OPENAT_HOOK(openat)
OPENAT_HOOK(openat64)

// stdio: glibc's fopen and fread reach open and read internally, past the
// hooks above.
STALLHOUND_HOOK FILE *fopen(const char *Path, const char *Mode) {
  return timedCall("fopen", STALLHOUND_CALL_SITE(),
                   [&] { return real_fopen()(Path, Mode); });
}

STALLHOUND_HOOK FILE *fopen64(const char *Path, const char *Mode) {
  return timedCall("fopen", STALLHOUND_CALL_SITE(),
                   [&] { return real_fopen64()(Path, Mode); });
}

STALLHOUND_HOOK size_t fread(void *Buffer, size_t Size, size_t Count,
                             FILE *Stream) {
  CallTicket C = beginCall("fread", STALLHOUND_CALL_SITE());
  size_t Result = real_fread()(Buffer, Size, Count, Stream);
  endFdCall(C, "fread", C.Slot ? fileno(Stream) : -1, 0,
            STALLHOUND_CALL_SITE());
  return Result;
}
