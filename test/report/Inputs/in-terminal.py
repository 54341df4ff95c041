#!/usr/bin/env python3
"""Runs a command with its stdout on a pseudo-terminal (stderr stays where
it was) and copies what it wrote there to OUTPUT.

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
    os.execv(sys.argv[2], sys.argv[2:])
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
