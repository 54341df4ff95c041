#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""The probe's memory cost: resident memory of uvicorn (bench/hello_app.py)
and redis-server with the probe preloaded minus without, idle and after a
load, with a stall injected so that the probe holds a finding with a stack.

usage: bench/probe-rss.py [--repeat N] [--seconds S] [--build BUILD_DIR]

For each server and configuration (none, probe), N times: start it pinned to
CPU 0, wait 2 s, read VmRSS (idle); inject a 150 ms stall; load it for S
seconds from CPU 1 (wrk / redis-benchmark); read VmHWM (peak). Prints the
medians and, last, the largest probe - none difference (target <= 4 MiB).
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def start(kind, env, port):
    if kind == "uvicorn":
        argv = [benchlib.PYTHON, "-m", "uvicorn", "hello_app:app", "--port", str(port),
                "--loop", "asyncio", "--log-level", "warning", "--no-access-log"]
    else:
        argv = ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--loglevel", "warning", "--logfile", "",
                "--enable-debug-command", "yes"]
    process = subprocess.Popen(benchlib.pinned(benchlib.SERVER_CPU, argv), env=env,
                               cwd=os.path.join(benchlib.ROOT, "bench"),
                               stdout=subprocess.DEVNULL)
    benchlib.wait_for_port(port, process)
    return process


def stall(kind, port):
    if kind == "uvicorn":
        urllib.request.urlopen("http://127.0.0.1:%d/stall" % port, timeout=10).read()
    else:
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"DEBUG SLEEP 0.15\r\n")
            s.recv(64)


def load(kind, port, seconds):
    if kind == "uvicorn":
        argv = ["wrk", "-t1", "-c16", "-d%ds" % seconds, "http://127.0.0.1:%d/" % port]
    else:
        argv = ["redis-benchmark", "-p", str(port), "-t", "set,get", "-n",
                str(20000 * seconds), "-c", "50", "-q"]
    subprocess.run(benchlib.pinned(benchlib.LOAD_CPU, argv), capture_output=True, check=True)


def measure(kind, env, seconds):
    port = benchlib.free_port()
    process = start(kind, env, port)
    try:
        time.sleep(2)
        idle = benchlib.status_kib(process.pid, "VmRSS")
        stall(kind, port)
        load(kind, port, seconds)
        peak = benchlib.status_kib(process.pid, "VmHWM")
    finally:
        benchlib.stop(process)
    return idle, peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--build", default=os.path.join(benchlib.ROOT, "build"))
    opts = parser.parse_args()
    probe = benchlib.probe_library(opts.build)
    base = {k: v for k, v in os.environ.items()
            if k != "LD_PRELOAD" and not k.startswith("STALLHOUND_")}
    worst = 0.0
    lines = []
    with tempfile.TemporaryDirectory() as work:
        configs = {"none": base,
                   "probe": dict(base, LD_PRELOAD=probe,
                                 STALLHOUND_OUTPUT=os.path.join(work, "r-%p.json"))}
        for kind in ("uvicorn", "redis"):
            results = {c: [measure(kind, env, opts.seconds) for _ in range(opts.repeat)]
                       for c, env in configs.items()}
            idle = {c: statistics.median(r[0] for r in rs) / 1024 for c, rs in results.items()}
            peak = {c: statistics.median(r[1] for r in rs) / 1024 for c, rs in results.items()}
            for c in configs:
                print("%-8s %-6s idle VmRSS %7.1f MiB, peak VmHWM %7.1f MiB" % (
                    kind, c, idle[c], peak[c]))
            lines.append("%s idle +%.1f, peak +%.1f" % (
                kind, idle["probe"] - idle["none"], peak["probe"] - peak["none"]))
            worst = max(worst, idle["probe"] - idle["none"], peak["probe"] - peak["none"])
        if not any(f.endswith(".json") for f in os.listdir(work)):
            sys.exit("the probe wrote no report")
    print("probe RSS overhead: %.1f MiB at most (%s; MiB, median of %d; target <= 4 MiB)" % (
        worst, "; ".join(lines), opts.repeat))


if __name__ == "__main__":
    main()
