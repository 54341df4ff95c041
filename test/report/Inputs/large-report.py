#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Writes a directory of large machine-written reports for the memory test:
a static report of many findings, and a probe report with its event stream.

usage: large-report.py DIR MEGABYTES   (about half static, half probe)
"""
import json
import os
import sys

out_dir, size = sys.argv[1], int(float(sys.argv[2]) * (1 << 20))
os.makedirs(out_dir, exist_ok=True)

with open(os.path.join(out_dir, "static.json"), "w") as out:
    out.write('{\n "errors": [],\n "findings": [\n')
    i = 0
    while out.tell() < size // 2:
        handler, file = "svc::handle_%d" % (i // 8), "/src/svc/h%d.cpp" % (i // 64)
        out.write((",\n" if i else "") + json.dumps({
            "rule": "file-io", "category": "file-io", "severity": "warning",
            "message": "'std::basic_ifstream' does synchronous file I/O on the event-loop "
                       "thread in coroutine '%s'" % handler,
            "location": {"file": file, "line": 10 + i, "column": 9},
            "handler": {"name": handler, "file": file, "line": 3 + i},
            "call": "std::basic_ifstream",
            "chain": [{"function": handler, "file": file, "line": 10 + i, "column": 9,
                       "calls": "std::basic_ifstream"}],
            "fix": "run file I/O on a thread pool"}, indent=1, sort_keys=True))
        i += 1
    out.write('\n ],\n "kind": "static",\n "tool": "stallhound",\n'
              ' "translation_units": 1,\n "version": 1\n}\n')

findings = [{"id": i, "kind": "stall" if i % 2 == 0 else "blocking-call", "severity": "high",
             "phase": "running", "call": "nanosleep", "sampled": False, "tid": 7,
             "count": 100, "total_ms": 15000.0, "max_ms": 400.0,
             "first_at_ms": 1.0, "last_at_ms": 9e5,
             "handler": {"name": "app::handle_%d(int)" % (i // 2), "module": "/srv/app",
                         "file": "/src/app/h.cpp", "line": 20 + i // 2, "language": "c++"},
             "stack": [{"function": "app::layer_%d(int)" % n, "module": "/srv/app",
                        "build_id": "5c1a", "offset": "0x%x" % (0x1000 + n),
                        "file": None, "line": None} for n in range(32)]}
            for i in range(512)]
probe = {"stallhound_probe": 1,
         "process": {"pid": 7, "exe": "/srv/app", "start": "2026-11-21T13:50:29.102Z",
                     "end": None},
         "settings": {"threshold_ms": 100.0},
         "loops": [{"tid": 7, "thread_name": "app", "wait": "epoll_wait", "iterations": 10000,
                    "busy": {"total_ms": 1e6, "mean_ms": 100.0, "max_ms": 400.0,
                             "histogram": [{"lt_us": 16, "count": 5000},
                                           {"lt_us": 524288, "count": 5000}]},
                    "stalls": {"count": 5000, "total_ms": 1e6, "max_ms": 400.0}}],
         "findings": findings}
with open(os.path.join(out_dir, "stallhound-7.json"), "w") as out:
    json.dump(probe, out, indent=1)
with open(os.path.join(out_dir, "stallhound-7.events.ndjson"), "w") as out:
    at, i = 0.0, 0
    while out.tell() < size // 2 - os.path.getsize(os.path.join(out_dir, "stallhound-7.json")):
        at += 300.0
        out.write('{"event":"blocking-call","at_ms":%.3f,"tid":7,"finding":%d,"call":"nanosleep",'
                  '"phase":"running","ms":150.0}\n' % (at, 2 * (i % 256) + 1))
        out.write('{"event":"stall","at_ms":%.3f,"tid":7,"finding":%d,"call":"nanosleep",'
                  '"phase":"running","ms":150.1}\n' % (at + 0.1, 2 * (i % 256)))
        i += 1
