#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Peak memory and wall time of `stallhound report` on large machine-written
reports: a static report of many findings (as `check --format json` writes
it) and a probe report with 512 findings of deep stacks and a long event
stream beside it (as a long soak run leaves them). Each run is measured on
its own with wait4 (the child's own peak RSS), for text and JSON output.

usage: bench/report-memory.py [--static-mb N] [--probe-mb N] [--dir DIR]
                              [--stallhound BIN] [--keep] [--cases LIST]

The probe size includes its event stream (the stream is most of it). The
default, 125 + 125 MB, is the size of the report that prompted the streaming
reader.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MB = 1 << 20
CALLS = ["nanosleep", "read", "write", "fsync", "getaddrinfo", "pthread_mutex_lock", "cpu"]


def static_finding(i):
    handler = "svc%d::handle_request_%d" % (i // 8 % 97, i // 8)  # 8 findings a handler
    file = "/src/svc%d/handlers_%d.cpp" % (i % 97, i // 50)
    line = 10 + i % 4000
    chain = [{"function": handler if s == 0 else "svc::helper_%d_%d" % (i, s),
              "file": file, "line": line + s, "column": 9,
              "calls": "svc::helper_%d_%d" % (i, s + 1) if s < 2 else "std::basic_ifstream"}
             for s in range(3)]
    return {"rule": "file-io", "category": "file-io", "severity": "warning",
            "message": "'std::basic_ifstream' does synchronous file I/O on the event-loop "
                       "thread in coroutine '%s' through 'svc::helper_%d_1'" % (handler, i),
            "location": {"file": file, "line": line, "column": 9},
            "handler": {"name": handler, "file": file, "line": line - 3},
            "call": "std::basic_ifstream", "chain": chain,
            "fix": "run file I/O on a thread pool"}


def write_static(path, size):
    """A static report of about size bytes; keys sorted as check writes them."""
    with open(path, "w") as out:
        out.write('{\n "errors": [],\n "findings": [\n')
        i = 0
        while out.tell() < size:
            if i:
                out.write(",\n")
            out.write(json.dumps(static_finding(i), indent=1, sort_keys=True))
            i += 1
        out.write('\n ],\n "kind": "static",\n "tool": "stallhound",\n'
                  ' "translation_units": %d,\n "version": 1\n}\n' % (i // 50 + 1))
    return i


def probe_finding(i):
    call = CALLS[i % len(CALLS)]
    kind = "stall" if i % 2 == 0 else "blocking-call"
    handler = "app::handle_%d(int) [clone .actor]" % (i // 2)
    frame = lambda n: {"function": "app::layer_%d_%d(int)" % (i, n), "module": "/srv/app/bin/server",
                       "build_id": "5c1a0f3e9d2b4a61c7e8f9a0b1c2d3e4f5a6b7c8",
                       "offset": "0x%x" % (0x10000 + 16 * n), "address": "0x5581e7d%06x" % n,
                       "file": "/src/app/layer_%d.cpp" % n, "line": 10 + n}
    return {"id": i, "kind": kind, "severity": "high", "phase": "running", "call": call,
            "sampled": call == "cpu", "tid": 101, "count": 1000, "total_ms": 150000.0,
            "max_ms": 400.0, "first_at_ms": 10.0, "last_at_ms": 9e6,
            "histogram": [{"lt_us": 262144, "count": 900}, {"lt_us": 524288, "count": 100}],
            "handler": {"name": handler, "module": "/srv/app/bin/server",
                        "file": "/src/app/handlers.cpp", "line": 20 + i, "language": "c++"},
            "stack": [frame(n) for n in range(48)]}


def write_probe(path, size):
    """A probe report with 512 findings, and its event stream filling the
    rest of size: a stall after each blocking call, as the probe streams them."""
    findings = [probe_finding(i) for i in range(512)]
    report = {"stallhound_probe": 1,
              "process": {"pid": 101, "forked_from": None, "exe": "/srv/app/bin/server",
                          "argv": ["server"], "start_unix_ms": 1763733029102,
                          "start": "2026-11-21T13:50:29.102Z", "end": "2026-11-22T13:50:35.547Z",
                          "updated": "2026-11-22T13:50:35.547Z"},
              "settings": {"threshold_ms": 100.0, "blocking_ms": 1.0},
              "loops": [{"tid": 101, "thread_name": "server", "wait": "epoll_wait",
                         "iterations": 90000000,
                         "busy": {"total_ms": 1.5e8, "mean_ms": 1.6, "max_ms": 400.0,
                                  "histogram": [{"lt_us": 16, "count": 89000000},
                                                {"lt_us": 524288, "count": 1000000}]},
                         "stalls": {"count": 256000, "total_ms": 3.8e7, "max_ms": 400.0}}],
              "findings": findings,
              "dropped": {"events": 0, "stacks_suppressed": 0, "findings_over_capacity": 0}}
    with open(path, "w") as out:
        json.dump(report, out, indent=1)
    stream = path[:-len(".json")] + ".events.ndjson"
    left = max(0, size - os.path.getsize(path))
    events = 0
    with open(stream, "w") as out:
        out.write('{"event":"start","pid":101,"forked_from":0,'
                  '"start":"2026-11-21T13:50:29.102Z","threshold_ms":100.000}\n')
        at = 0.0
        while out.tell() < left:
            i = events % 256
            at += 350.0
            call = CALLS[(2 * i + 1) % len(CALLS)]
            out.write('{"event":"blocking-call","at_ms":%.3f,"tid":101,"finding":%d,'
                      '"call":"%s","phase":"running","ms":%.3f}\n' % (at, 2 * i + 1, call, 150 + i))
            out.write('{"event":"stall","at_ms":%.3f,"tid":101,"finding":%d,'
                      '"call":"%s","phase":"running","ms":%.3f}\n'
                      % (at + 0.1, 2 * i, CALLS[(2 * i) % len(CALLS)], 150.2 + i))
            events += 2
        out.write('{"event":"exit","at_ms":%.3f,"how":"exit","status":0}\n' % (at + 1))
    return events


def measure(argv):
    """Wall time, CPU time and the child's own peak RSS (wait4), in seconds
    and bytes."""
    start = time.monotonic()
    with open(os.devnull, "wb") as devnull:
        child = subprocess.Popen(argv, stdout=devnull, stderr=subprocess.PIPE)
        err = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        sys.exit("%s failed (%d): %s" % (" ".join(argv), child.returncode, err.decode()[-500:]))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--static-mb", type=float, default=125)
    parser.add_argument("--probe-mb", type=float, default=125)
    parser.add_argument("--dir", help="where to write the reports (default: a temporary directory)")
    parser.add_argument("--stallhound", default=os.path.join(ROOT, "build/bin/stallhound"))
    parser.add_argument("--keep", action="store_true", help="keep the generated reports")
    parser.add_argument("--cases", default="static,probe,both",
                        help="which inputs to run on (comma-separated: static, probe, both)")
    opts = parser.parse_args()

    work = opts.dir or tempfile.mkdtemp(prefix="report-memory-")
    os.makedirs(work, exist_ok=True)
    static, probe = os.path.join(work, "static.json"), os.path.join(work, "stallhound-101.json")
    stream = probe[:-len(".json")] + ".events.ndjson"
    try:
        findings = write_static(static, int(opts.static_mb * MB))
        events = write_probe(probe, int(opts.probe_mb * MB))
        sizes = {"static": os.path.getsize(static),
                 "probe": os.path.getsize(probe) + os.path.getsize(stream)}
        print("static report  %7.1f MB, %d findings" % (sizes["static"] / MB, findings))
        print("probe report   %7.1f MB (report %.1f MB, 512 findings; event stream %.1f MB, %d events)"
              % (sizes["probe"] / MB, os.path.getsize(probe) / MB, os.path.getsize(stream) / MB, events))
        print("%s\n%-8s %-6s %10s %12s %8s %8s %8s" % (opts.stallhound, "inputs", "format",
                                                      "input MB", "peak RSS MB", "RSS/in",
                                                      "wall s", "CPU s"))
        cases = [("static", [static]), ("probe", [probe]), ("both", [static, probe])]
        for name, inputs in cases:
            if name not in opts.cases.split(","):
                continue
            size = sum(sizes[k] for k in ("static", "probe") if k == name or name == "both")
            for fmt in ("text", "json"):
                wall, cpu, rss = measure([opts.stallhound, "report", "--format", fmt, "-o",
                                     os.path.join(work, "out." + fmt)] + inputs)
                print("%-8s %-6s %10.1f %12.1f %8.2f %8.1f %8.1f" % (
                    name, fmt, size / MB, rss / MB, rss / size, wall, cpu))
    finally:
        if not opts.keep:
            for path in (static, probe, stream, os.path.join(work, "out.text"),
                         os.path.join(work, "out.json")):
                if os.path.exists(path):
                    os.remove(path)
            if not opts.dir:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
