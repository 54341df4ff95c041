#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""CPU time of `stallhound check` on a tree of Python sources, side by side
with parsing the same files with CPython's `ast.parse` (the floor: any Python
linter parses every file), alternating runs; and the wall time of `-j1`
against `-jN`.

usage: bench/python-vs-ast-parse.py [--runs N] [--stallhound BIN] [DIR...]

Default DIRs: Debian's dist-packages of fastapi, starlette, uvicorn, celery,
kombu, httpx and aiohttp (apt-get install python3-fastapi python3-uvicorn
python3-httpx python3-celery python3-aiohttp). ast.parse runs in one
interpreter per run, its start-up (an empty run) subtracted; stallhound's CPU
is that of the whole process (both phases, -j1). Prints the medians and their
ratio (target: <= 2.0).
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = "/usr/lib/python3/dist-packages"
DEFAULT_PACKAGES = ["fastapi", "starlette", "uvicorn", "celery", "kombu", "httpx", "aiohttp"]

PARSE_ALL = r"""
import ast, sys
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        source = f.read()
    try:
        ast.parse(source, path)
    except SyntaxError:
        pass
"""


def cpu_seconds(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # 2: some files are not Python (ast.parse fails on them too): both count.
    if proc.returncode not in (0, 1, 2):
        sys.exit("failed (%d): %s\n%s" % (proc.returncode, " ".join(argv[:4]), proc.stderr.decode()[-2000:]))
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def wall_seconds(argv):
    start = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def python_files(dirs):
    skipped = {"__pycache__", ".git", ".venv", "venv", "site-packages", "node_modules"}
    out = []
    for top in dirs:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d not in skipped)
            out += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py")]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stallhound", default=os.path.join(ROOT, "build", "bin", "stallhound"))
    parser.add_argument("dirs", nargs="*")
    args = parser.parse_args()
    dirs = args.dirs or [os.path.join(DIST, p) for p in DEFAULT_PACKAGES]
    missing = [d for d in dirs if not os.path.isdir(d)]
    if missing:
        sys.exit("missing: " + ", ".join(missing))
    files = python_files(dirs)
    lines = 0
    for path in files:
        with open(path, "rb") as f:
            lines += f.read().count(b"\n")
    print("%d files, %d lines in %s" % (len(files), lines, ", ".join(os.path.basename(d) for d in dirs)))

    python = "/usr/bin/python3"
    check = [args.stallhound, "check", "-j1", "--fail-on", "error"] + dirs
    parse = [python, "-c", PARSE_ALL] + files
    empty = [python, "-c", PARSE_ALL]
    ours, floor = [], []
    for _ in range(args.runs):
        ours.append(cpu_seconds(check))
        floor.append(cpu_seconds(parse) - cpu_seconds(empty))
    ours_s, floor_s = statistics.median(ours), statistics.median(floor)
    print("stallhound check -j1  CPU median %.3f s (min %.3f, max %.3f)" % (ours_s, min(ours), max(ours)))
    print("python3 ast.parse     CPU median %.3f s (min %.3f, max %.3f)" % (floor_s, min(floor), max(floor)))
    print("ratio stallhound / ast.parse: %.2f (target <= 2.0)" % (ours_s / floor_s))

    jobs = os.cpu_count() or 1
    one = statistics.median(wall_seconds(check) for _ in range(args.runs))
    many_argv = [args.stallhound, "check", "-j%d" % jobs, "--fail-on", "error"] + dirs
    many = statistics.median(wall_seconds(many_argv) for _ in range(args.runs))
    print("wall -j1 %.3f s, -j%d %.3f s: speed-up %.2fx" % (one, jobs, many, one / many))


if __name__ == "__main__":
    main()
