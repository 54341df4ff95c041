#!/usr/bin/env python3
"""Runs a command with its stdout on a pseudo-terminal (stderr stays where
it was), as in a terminal a person uses (TERM=xterm-256color, no NO_COLOR),
and copies what it wrote there to OUTPUT.

usage: in-terminal.py OUTPUT COMMAND ARGS...
"""
import os
import pty
import sys

output = sys.argv[1]
stderr = os.dup(2)
pid, fd = pty.fork()
if pid == 0:
    os.dup2(stderr, 2)
    # A terminal a person uses: not "dumb" (lit's own), no NO_COLOR.
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    os.execve(sys.argv[2], sys.argv[2:], env)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    data += chunk
os.waitpid(pid, 0)
open(output, "wb").write(data.replace(b"\r\n", b"\n"))
