#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""CPU time of `stallhound check` per translation unit, side by side with
`clang++-19 -fsyntax-only` and with `clang-tidy-19` running only
misc-coroutine-hostile-raii (the nearest clang-tidy check), on the same
commands, alternating runs.

usage: bench/analyzer-vs-syntax-only.py [--runs N] [--sample K] [--no-tidy]
                                        [--stallhound BIN] BUILD_DIR

BUILD_DIR holds compile_commands.json (default: the bundled asio example; a
fetched project's build directory works too: flags clang does not accept are
dropped from the -fsyntax-only command, as the analyzer drops them, and
non-C/C++ entries and repeated files are skipped). --sample K measures every
K-th translation unit. Prints one line per TU and, last, the ratios of the
summed medians (targets: <= 1.10 against -fsyntax-only, < 1.0 against
clang-tidy).
"""
import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu_seconds(argv, cwd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit("failed (%d): %s\n%s" % (proc.returncode, shlex.join(argv), proc.stderr.decode()))
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


ACCEPTED = {}


def clang_accepts(clangxx, flag):
    """Whether clang takes a flag (g++ databases carry gcc-only ones)."""
    if not flag.startswith(("-f", "-W", "-m")):
        return True
    if flag not in ACCEPTED:
        probe = subprocess.run([clangxx, "-fsyntax-only", "-x", "c++", os.devnull, flag,
                                "-Werror=unknown-warning-option",
                                "-Werror=unused-command-line-argument"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ACCEPTED[flag] = probe.returncode == 0
    return ACCEPTED[flag]


def syntax_only_command(entry, clangxx):
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    out = [clangxx]
    skip = False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a == "-c" or not clang_accepts(clangxx, a):
            continue
        out.append(a)
    # The same defines and warning settings the analyzer adds for this code base.
    return out + ["-fsyntax-only", "-DBOOST_ASIO_HAS_CO_AWAIT=1", "-Wno-error", "-w"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir", nargs="?", default=os.path.join(ROOT, "build/examples/asio-server"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stallhound", default=os.path.join(ROOT, "build/bin/stallhound"))
    parser.add_argument("--clangxx", default="clang++-19")
    parser.add_argument("--clang-tidy", default="clang-tidy-19")
    parser.add_argument("--no-tidy", action="store_true")
    parser.add_argument("--sample", type=int, default=1)
    opts = parser.parse_args()

    with open(os.path.join(opts.build_dir, "compile_commands.json")) as f:
        entries, seen = [], set()
        for entry in json.load(f):
            path = os.path.join(entry["directory"], entry["file"])
            if path in seen or not path.endswith((".c", ".cc", ".cpp", ".cxx")):
                continue
            seen.add(path)
            entries.append(entry)
        entries = entries[::opts.sample]
    total_tool = total_clang = total_tidy = 0.0
    print("%-28s %10s %10s %10s %7s" % ("translation unit", "analyzer", "clang", "tidy", "ratio"))
    for entry in entries:
        tool_cmd = [opts.stallhound, "check", "-p", opts.build_dir, "--format", "json", entry["file"]]
        clang_cmd = syntax_only_command(entry, opts.clangxx)
        tidy_cmd = [opts.clang_tidy, "-p", opts.build_dir, "--quiet",
                    "--checks=-*,misc-coroutine-hostile-raii",
                    "--extra-arg=-DBOOST_ASIO_HAS_CO_AWAIT=1", "--extra-arg=-w", entry["file"]]
        tool_runs, clang_runs, tidy_runs = [], [], []
        for _ in range(opts.runs):
            clang_runs.append(cpu_seconds(clang_cmd, entry["directory"]))
            tool_runs.append(cpu_seconds(tool_cmd, entry["directory"]))
            if not opts.no_tidy:
                tidy_runs.append(cpu_seconds(tidy_cmd, entry["directory"]))
        tool, clang = statistics.median(tool_runs), statistics.median(clang_runs)
        tidy = statistics.median(tidy_runs) if tidy_runs else 0.0
        total_tool += tool
        total_clang += clang
        total_tidy += tidy
        print("%-28s %9.2fs %9.2fs %9.2fs %7.3f" % (os.path.basename(entry["file"]), tool, clang, tidy,
                                                   tool / clang))
    if total_tidy:
        print("analyzer CPU / clang-tidy-19 (misc-coroutine-hostile-raii) CPU: %.3f (target < 1.0)"
              % (total_tool / total_tidy))
    print("analyzer CPU / clang++ -fsyntax-only CPU: %.3f (%d TUs, median of %d runs each, target <= 1.10)"
          % (total_tool / total_clang, len(entries), opts.runs))


if __name__ == "__main__":
    main()
