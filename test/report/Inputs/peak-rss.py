#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Runs a command and writes its peak resident memory (the child's own, from
wait4) in KiB to a file; exits with the command's status.

usage: peak-rss.py OUT_FILE COMMAND...
"""
import os
import subprocess
import sys

child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
child.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as out:
    out.write("%d\n" % usage.ru_maxrss)
sys.exit(child.returncode)
