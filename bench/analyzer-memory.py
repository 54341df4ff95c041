#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Peak memory of a whole `stallhound check` run: the resident memory of the
stallhound process and of its analysis processes, summed and sampled every
20 ms, beside the per-unit figures `--stats` prints (target: the whole run
at -j2 stays under 1.5 GB on real projects).

usage: bench/analyzer-memory.py [--jobs N] [--stallhound BIN] BUILD_DIR

BUILD_DIR holds compile_commands.json (default: the bundled asio example; a
fetched project's build directory works too).
"""
import argparse
import os
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    kids = []
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                kids += [int(k) for k in f.read().split()]
    except OSError:
        pass
    return kids


def tree_rss_kb(pid):
    total, pending = 0, [pid]
    while pending:
        p = pending.pop()
        total += rss_kb(p)
        pending += children(p)
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir", nargs="?", default=os.path.join(ROOT, "build/examples/asio-server"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--stallhound", default=os.path.join(ROOT, "build/bin/stallhound"))
    opts = parser.parse_args()

    start = time.monotonic()
    proc = subprocess.Popen([opts.stallhound, "check", "-p", opts.build_dir, "-j%d" % opts.jobs,
                             "--stats", "--format", "json", "-o", os.devnull],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.02)
    stderr = proc.stderr.read()
    for line in stderr.splitlines():
        if line.startswith("stallhound: stats:") or " translation units analyzed" in line:
            print(line)
    print("whole run at -j%d: peak %.0f MB resident (stallhound and its analysis processes, sampled"
          " every 20 ms), %.0f s wall, exit %d (target <= 1536 MB)"
          % (opts.jobs, peak / 1024, time.monotonic() - start, proc.returncode))


if __name__ == "__main__":
    main()
