#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Says whether reading large inputs grew the peak RSS of `stallhound report`
by at most RATIO times their size: the run on a tiny report is the baseline
(the program and its libraries), the run on the inputs the rest.

usage: rss-growth.py RATIO TINY_KB_FILE BIG_KB_FILE INPUT...
"""
import os
import sys

ratio = float(sys.argv[1])
tiny, big = (int(open(p).read()) * 1024 for p in sys.argv[2:4])
size = 0
for path in sys.argv[4:]:
    names = [os.path.join(path, n) for n in os.listdir(path)] if os.path.isdir(path) else [path]
    size += sum(os.path.getsize(n) for n in names)
growth = big - tiny
verdict = "within" if growth <= ratio * size else "over"
print("growth %s %gx the input (%.1f MB for %.1f MB read)"
      % (verdict, ratio, growth / 1048576.0, size / 1048576.0))
