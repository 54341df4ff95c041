#!/usr/bin/env python3
"""Prints the pool-saturation findings of the probe reports in a directory
as stable lines for FileCheck.

usage: pool-findings.py DIR [--queue-waits FILE]

With --queue-waits FILE (what the server measured: {"waits_ms": [...]}, each
request's wait for a worker thread), first "measured requests=N
long_waits=M": the requests, and those that waited at least 200 ms. Then,
per report, its number of loops and one line per pool-saturation finding:
  pool-saturation call=CALL phase=PHASE handler=NAME at=FILE:LINE def=LINE
                  size=N count=... wait=... max_queue=...
or "no pool-saturation finding". The probe looks every 100 ms, so it must
count every call that waited 200 ms or more, and may count those that waited
at least 20 ms (a shorter wait is a thread's hand-off, not a queue):
count=ok when its count is within those bounds; wait=ok when its worst wait is
the measured one within 200 ms + 5 %; max_queue=ok when the longest queue is
at most the calls that may have queued and at least half of those that must
have (a burst takes a while to arrive). Without the file the figures are
printed.
"""
import glob
import json
import os
import sys

MUST_MS = 200
MAY_MS = 20


def judge(finding, waits):
    if waits is None:
        return "count=%d max_queue=%d" % (finding["count"],
                                          finding["pool"]["max_queue"])
    must = sum(1 for wait in waits if wait >= MUST_MS)
    may = sum(1 for wait in waits if wait >= MAY_MS)
    worst = max(waits)
    count, got = finding["count"], finding["max_ms"]
    longest = finding["pool"]["max_queue"]
    return " ".join([
        "count=ok" if must <= count <= may
        else "count=BAD(%d for %d..%d)" % (count, must, may),
        "wait=ok" if abs(got - worst) <= 200 + 0.05 * worst
        else "wait=BAD(%.0f for %.0f)" % (got, worst),
        "max_queue=ok" if must / 2 <= longest <= may
        else "max_queue=BAD(%d for %d..%d)" % (longest, must, may)])


def main():
    directory = sys.argv[1]
    waits = None
    if "--queue-waits" in sys.argv:
        path = sys.argv[sys.argv.index("--queue-waits") + 1]
        waits = json.load(open(path))["waits_ms"]
        print("measured requests=%d long_waits=%d" % (
            len(waits), sum(1 for wait in waits if wait >= MUST_MS)))
    reports = sorted(glob.glob(os.path.join(directory, "*.json")))
    if not reports:
        print("no reports")
    for path in reports:
        report = json.load(open(path))
        print("report loops=%d" % len(report["loops"]))
        found = [f for f in report["findings"]
                 if f["kind"] == "pool-saturation"]
        for f in found:
            handler = f["handler"] or {}
            print("pool-saturation call=%s phase=%s handler=%s at=%s:%s "
                  "def=%s size=%d %s" % (
                      f["call"], f["phase"], handler.get("name"),
                      os.path.basename(handler.get("file") or ""),
                      handler.get("line"), handler.get("def_line"),
                      f["pool"]["size"], judge(f, waits)))
        if not found:
            print("no pool-saturation finding")


if __name__ == "__main__":
    main()
