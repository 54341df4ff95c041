#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Three scaling figures of `stallhound check`, printed side by side:

1. -j2 speed-up: wall time of -j1 divided by -j2 on a multi-TU project
   (default: the bundled asio example, 10 TUs), alternating runs.
2. Merge phase: time to merge facts of N synthetic functions (default 100,000,
   spread over 100 facts files, with call chains and blocking sites) with
   `stallhound check --facts DIR`, which skips parsing (target: <= 1 s).
3. Deep chains: H handlers (default 100) that all reach a blocking call at the
   end of a D-deep call chain (default 10,000): merge time and output size
   (target: <= 5 s; the printed chains keep their first and last steps).

usage: bench/analyzer-scaling.py [--runs N] [--functions N] [--depth D]
                                 [--handlers H] [BUILD_DIR]
"""
import argparse
import re
import json
import os
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(argv):
    start = time.monotonic()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode not in (0, 1):
        raise SystemExit("failed (%d): %s\n%s" % (proc.returncode, " ".join(argv), proc.stderr.decode()))
    return time.monotonic() - start, proc.stderr.decode()


def wall(argv):
    return run(argv)[0]


def merge_seconds(argv):
    """The merge phase's own time, from the summary line '(merge X s)'."""
    total, stderr = run(argv)
    match = re.search(r"\(merge ([0-9.]+) s\)", stderr)
    if not match:
        raise SystemExit("no merge time in: " + stderr)
    return total, float(match.group(1))


def synthetic_facts(directory, functions, files=100):
    """Each file holds a slice of functions; every 10th is a handler calling a
    chain of helpers, every 7th helper sleeps."""
    per_file = functions // files
    for f in range(files):
        entries = []
        for i in range(f * per_file, (f + 1) * per_file):
            loc = {"file": "/synthetic/unit%d.cpp" % f, "line": i % 10000 + 1, "column": 3}
            calls = []
            if i + 1 < functions and (i + 1) % 10 != 0:
                calls.append({"callee": "%016x" % (i + 1), "callee_symbol": "s%d" % (i + 1),
                              "callee_name": "fn%d" % (i + 1), "loc": loc})
            sites = []
            if i % 7 == 3:
                sites.append({"rule": "sleep", "call": "usleep", "loc": loc})
            entries.append({"id": "%016x" % i, "symbol": "s%d" % i, "name": "fn%d" % i, "loc": loc,
                            "coroutine": i % 10 == 0, "handler": i % 10 == 0,
                            "sites": sites, "calls": calls})
        with open(os.path.join(directory, "unit%d.facts.json" % f), "w") as out:
            json.dump({"stallhound_facts": 2, "main_file": "/synthetic/unit%d.cpp" % f,
                       "functions": entries, "errors": []}, out)


def deep_chain_facts(directory, handlers, depth):
    """H handlers each call step_0, which starts a D-deep chain ending in a sleep."""
    def loc(line, file="/synthetic/chain.cpp"):
        return {"file": file, "line": line, "column": 3}

    functions = []
    for i in range(depth):
        calls = [{"callee": "c%d" % (i + 1), "callee_symbol": "cs%d" % (i + 1),
                  "callee_name": "step_%d" % (i + 1), "loc": loc(i + 1)}] if i + 1 < depth else []
        sites = [{"rule": "sleep", "call": "usleep", "loc": loc(i + 1)}] if i + 1 == depth else []
        functions.append({"id": "c%d" % i, "symbol": "cs%d" % i, "name": "step_%d" % i,
                          "loc": loc(i + 1), "coroutine": False, "handler": False,
                          "sites": sites, "calls": calls})
    for h in range(handlers):
        functions.append({"id": "h%d" % h, "symbol": "hs%d" % h, "name": "handler_%d" % h,
                          "loc": loc(h + 1, "/synthetic/handlers.cpp"), "coroutine": True,
                          "handler": True, "sites": [],
                          "calls": [{"callee": "c0", "callee_symbol": "cs0", "callee_name": "step_0",
                                     "loc": loc(h + 1, "/synthetic/handlers.cpp")}]})
    with open(os.path.join(directory, "chain.facts.json"), "w") as out:
        json.dump({"stallhound_facts": 2, "main_file": "/synthetic/chain.cpp", "link_unit": "",
                   "functions": functions, "errors": []}, out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir", nargs="?", default=os.path.join(ROOT, "build/examples/asio-server"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--functions", type=int, default=100000)
    parser.add_argument("--depth", type=int, default=10000)
    parser.add_argument("--handlers", type=int, default=100)
    parser.add_argument("--stallhound", default=os.path.join(ROOT, "build/bin/stallhound"))
    opts = parser.parse_args()

    one, two = [], []
    for _ in range(opts.runs):
        one.append(wall([opts.stallhound, "check", "-p", opts.build_dir, "-j1"]))
        two.append(wall([opts.stallhound, "check", "-p", opts.build_dir, "-j2"]))
    j1, j2 = statistics.median(one), statistics.median(two)
    print("-j1 %.2f s, -j2 %.2f s (median of %d)" % (j1, j2, opts.runs))

    with tempfile.TemporaryDirectory() as facts:
        synthetic_facts(facts, opts.functions)
        runs = [merge_seconds([opts.stallhound, "check", "--facts", facts, "--format", "json",
                               "-o", os.devnull]) for _ in range(opts.runs)]
    total = statistics.median(r[0] for r in runs)
    merge = statistics.median(r[1] for r in runs)
    print("merge phase for %d synthetic functions: %.2f s (whole run with reading the facts: %.2f s;"
          " median of %d; target <= 1 s)" % (opts.functions, merge, total, opts.runs))
    print("-j2 speed-up: %.2fx on %s (2 cores)" % (j1 / j2, os.path.basename(opts.build_dir)))

    with tempfile.TemporaryDirectory() as facts:
        deep_chain_facts(facts, opts.handlers, opts.depth)
        output = os.path.join(facts, "out.txt")
        runs = [merge_seconds([opts.stallhound, "check", "--facts", facts, "-o", output])
                for _ in range(opts.runs)]
        size = os.path.getsize(output)
    total = statistics.median(r[0] for r in runs)
    merge = statistics.median(r[1] for r in runs)
    print("deep chains: %d handlers on a %d-deep chain: merge %.2f s, whole run %.2f s, %d bytes of"
          " output (median of %d; target <= 5 s)" % (opts.handlers, opts.depth, merge, total, size,
                                                      opts.runs))


if __name__ == "__main__":
    main()
