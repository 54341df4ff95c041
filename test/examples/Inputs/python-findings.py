#!/usr/bin/env python3
"""Prints the Python findings of the probe reports in a directory as stable
lines for FileCheck.

usage: python-findings.py DIR [--measured FILE]

One line per finding that names a handler in the application (a Python file
outside the interpreter's library), ordered by kind, phase and handler:
  KIND call=CALL phase=PHASE [cause=CAUSE] handler=NAME at=FILE:LINE def=LINE
       [task=yes] [stack=F<G<...] [ms=ok|ms=BAD(...)]
--measured FILE (what the app measured of its own blocking, per handler
name) checks the longest occurrence of each finding that explains most of its
handler's blocking: a stall within 5 % of the measured time, a blocking call
no longer than it (by 5 %). The stack lists the
application's frames, innermost first. Then one line per loop with its GIL waits, and a count of
the findings no handler explains; sleeps without a handler get a line each
("unexplained ...").
"""
import glob
import json
import os
import sys


def is_application(path):
    return path and "/lib/python3" not in path and not path.startswith("<")


def describe(finding, measured):
    handler = finding["handler"]
    words = [finding["kind"], "call=" + finding["call"],
             "phase=" + finding["phase"]]
    if "cause" in finding:
        words.append("cause=" + finding["cause"])
    words.append("handler=%s at=%s:%d def=%d" % (
        handler["name"], os.path.basename(handler["file"]), handler["line"],
        handler["def_line"]))
    if finding.get("task"):
        words.append("task=yes")
    own = [f["function"] for f in finding.get("python_stack", [])
           if is_application(f["file"])]
    if len(own) > 1:
        words.append("stack=" + "<".join(own))
    truth = measured.get(handler["name"])
    got = finding["max_ms"]
    if truth and got >= truth / 2:
        # A stall covers the whole blocking the app measured; one blocking
        # call inside it (the recv of a helper that also connects and sends)
        # can only be shorter.
        if finding["kind"] == "blocking-call":
            ok = got <= 1.05 * truth
        else:
            ok = abs(got - truth) <= 0.05 * truth
        words.append("ms=ok" if ok else "ms=BAD(%.3f for %.3f)" % (got, truth))
    return " ".join(words)


def main():
    directory = sys.argv[1]
    measured = {}
    if "--measured" in sys.argv:
        measured = json.load(open(sys.argv[sys.argv.index("--measured") + 1]))
    reports = glob.glob(os.path.join(directory, "*.json"))
    if not reports:
        print("no reports")
    for path in sorted(reports):
        report = json.load(open(path))
        lines, unexplained = [], 0
        for finding in report["findings"]:
            handler = finding["handler"]
            if (handler and handler.get("language") == "python"
                    and is_application(handler.get("file"))):
                lines.append(describe(finding, measured))
            elif "sleep" in finding["call"]:
                lines.append("unexplained %s call=%s max_ms=%.0f" % (
                    finding["kind"], finding["call"], finding["max_ms"]))
            else:
                unexplained += 1
        for line in sorted(lines):
            print(line)
        for loop in report["loops"]:
            waits = loop.get("gil_waits", {"count": 0, "total_ms": 0})
            print("loop wait=%s gil_waits=%s" % (
                loop["wait"], "yes" if waits["count"] else "no"))
        print("findings without an application handler: %d" % unexplained)


if __name__ == "__main__":
    main()
