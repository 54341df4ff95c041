//===- ProbeFds.h - Where the probe keeps its own file descriptors -*- C++ -*-//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_PROBE_PROBEFDS_H
#define STALLHOUND_PROBE_PROBEFDS_H

namespace stallhound::probe {

/// Moves a descriptor the probe keeps open (its event stream, its report)
/// above the numbers the host uses, close-on-exec: the host's next open()
/// still gets the number it expects (a daemon reopening fd 0), and a number
/// the probe loses to closefrom() or close_range() is not soon reused for
/// one of the host's files. Returns the new fd, or Fd itself when the limit
/// leaves no room (never -1 for a valid Fd).
int keepAboveHostFds(int Fd);

/// Held while the probe opens a file and moves it up: between the two the
/// file sits at the lowest free number, and a host that closes every fd it
/// does not know (a daemon) and then opens its own file there must not have
/// that file closed by the move. The host's close() waits for the window to
/// end (a few syscalls; at most 5 ms, then it goes ahead).
class ProbeOpenWindow {
public:
  ProbeOpenWindow();
  ~ProbeOpenWindow();
  ProbeOpenWindow(const ProbeOpenWindow &) = delete;
  ProbeOpenWindow &operator=(const ProbeOpenWindow &) = delete;
};

/// For the close() hook: returns once no probe thread is in a window (the
/// calling thread's own window does not count).
void waitForProbeOpens();

} // namespace stallhound::probe

#endif
