#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Whether a Python stall is named the same in every run: the bundled FastAPI
app's S2-through-helpers endpoint (a CPU loop in the helper of a helper)
requested once per server process, in RUNS fresh processes under
`stallhound run`.

usage: bench/handler-naming.py [--runs N] [--loop asyncio|uvloop]
                               [--scenario s2h|s2h-short]
                               [--threshold-ms MS] [--build BUILD_DIR]

Prints, per run, what named each running-phase stall (handler, hot function,
cause) and the stall's length, then how many runs named the endpoint
(summarize_in_async_endpoint, hot count_until) for every stall of the run,
and how long the runs took. s2h stalls 300 ms, s2h-short 150 ms; a
threshold just under the stall (--threshold-ms 135 for s2h-short) is the
hard case: the stall ends soon after the probe finds it.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

DRIVE = os.path.join(benchlib.ROOT, "examples", "fastapi-app", "drive.py")
ENDPOINT = ("summarize_in_async_endpoint", "count_until")


def running_stalls(directory):
    """(handler, hot, cause, max_ms) of each running-phase stall finding."""
    stalls = []
    for path in glob.glob(os.path.join(directory, "*.json")):
        for finding in json.load(open(path))["findings"]:
            if finding["kind"] != "stall" or finding["phase"] != "running":
                continue
            handler = finding["handler"] or {}
            hot = (handler.get("hot_function") or {}).get("name")
            for _ in range(finding["count"]):
                stalls.append((handler.get("name"), hot, finding["cause"],
                               finding["max_ms"]))
    return stalls


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"],
                        default="asyncio")
    parser.add_argument("--scenario", choices=["s2h", "s2h-short"],
                        default="s2h-short")
    parser.add_argument("--threshold-ms", type=float, default=0,
                        help="the probe's stall threshold (default: its own)")
    parser.add_argument("--build", default=os.path.join(benchlib.ROOT, "build"))
    args = parser.parse_args()
    stallhound = os.path.join(os.path.abspath(args.build), "bin", "stallhound")
    benchlib.probe_library(args.build)

    named, started = 0, time.monotonic()
    outcomes = collections.Counter()
    for run in range(args.runs):
        output = tempfile.mkdtemp(prefix="stallhound-naming-")
        prefix = [stallhound, "run", "--quiet", "--output", output]
        if args.threshold_ms:
            prefix += ["--threshold-ms", str(args.threshold_ms)]
        served = subprocess.run(
            [benchlib.PYTHON, DRIVE, "--loop", args.loop, "--scenarios",
             args.scenario, "--"] + prefix + ["--"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        stalls = running_stalls(output)
        right = bool(stalls) and all(s[:2] == ENDPOINT for s in stalls)
        named += right and served.returncode == 0
        for handler, hot, cause, ms in stalls:
            outcomes[(handler, hot, cause)] += 1
        print("run %2d: %s%s" % (run + 1, "; ".join(
            "%s (hot %s, %s) %.0f ms" % s for s in stalls) or "no stall",
            "" if served.returncode == 0 else "  [driver failed]"), flush=True)
    print("\nstalls by name:")
    for (handler, hot, cause), count in outcomes.most_common():
        print("  %3d  %s (hot %s, %s)" % (count, handler, hot, cause))
    print("runs naming %s (hot %s) for every stall: %d/%d, %.0f s" % (
        ENDPOINT[0], ENDPOINT[1], named, args.runs,
        time.monotonic() - started))
    return 0 if named == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
