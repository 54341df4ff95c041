#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""How exactly the probe measures a stall: stalls of 10, 50, 300 and 1000 ms
injected into loops in C (nanosleep), Python asyncio (time.sleep), node (a
busy setTimeout callback) and redis (DEBUG SLEEP), each measured by the probe
(threshold lowered to 5 ms) and, on the same stalls, by the runtime's own
monitor: asyncio debug mode's slow-callback log (in a second run: its logging
runs inside the stalled iteration), node's
perf_hooks.monitorEventLoopDelay, redis' LATENCY monitor.

usage: bench/accuracy.py [--repeat N] [--stalls MS,...] [--build BUILD_DIR]

Prints, per runtime and stall, measured - injected (median and worst) for the
probe and the peer, and the probe minus what the loop's own code timed around
the stall ("self": C, Python, node), which tells the probe's error from a
stall the loaded machine really made longer; then, last, how many stalls the
probe measured within the target 1 ms + 1 % of the injected stall.
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

BENCH = os.path.join(benchlib.ROOT, "bench")


def probe_stalls(directory, injected):
    """The probe's running stalls from the event streams, matched in order to
    the injected ones (a stall the machine caused elsewhere is skipped)."""
    events = []
    for path in glob.glob(os.path.join(directory, "*.events.ndjson")):
        for line in open(path):
            event = json.loads(line)
            if event["event"] == "stall" and event["phase"] == "running":
                events.append(event)
    events.sort(key=lambda e: e["at_ms"])
    measured, i = [], 0
    for ms in injected:
        while i < len(events) and abs(events[i]["ms"] - ms) >= ms / 2:
            i += 1
        if i == len(events):
            raise SystemExit("the probe missed the %g ms stall in %s" % (ms, directory))
        measured.append(events[i]["ms"])
        i += 1
    return measured


def peer_values(output, prefix):
    return [float(line.split()[1]) for line in output.splitlines() if line.startswith(prefix + " ")]


def run_c(env, injected, work):
    binary = os.path.join(work, "stall-loop")
    subprocess.run(["cc", "-O1", "-g", "-rdynamic", "-o", binary,
                    os.path.join(BENCH, "stall-loop.c")], check=True)
    out = subprocess.run([binary] + ["%g" % ms for ms in injected], env=env, check=True,
                         cwd=work, capture_output=True, text=True).stdout
    return None, peer_values(out, "self")


def run_python(env, injected, work):
    """Debug mode's logging runs inside the stalled iteration: the peer runs
    in its own process, without the probe."""
    def run(args, run_env):
        return subprocess.run([benchlib.PYTHON, os.path.join(BENCH, "stall_asyncio.py")] +
                              args + ["%g" % ms for ms in injected], env=run_env, cwd=work,
                              check=True, capture_output=True, text=True).stdout
    out = run([], env)
    plain = {k: v for k, v in env.items() if k != "LD_PRELOAD"}
    return peer_values(run(["--debug"], plain), "debug"), peer_values(out, "self")


def run_node(env, injected, work):
    out = subprocess.run(["node", os.path.join(BENCH, "stall-node.js")] +
                         ["%g" % ms for ms in injected], env=env, cwd=work, check=True,
                         capture_output=True, text=True).stdout
    return peer_values(out, "peer"), peer_values(out, "self")


def run_redis(env, injected, work):
    port = benchlib.free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
         "--daemonize", "no", "--loglevel", "warning", "--logfile", "",
         "--enable-debug-command", "yes"], env=env, cwd=work, stdout=subprocess.DEVNULL)

    def cli(*args):
        return subprocess.run(["redis-cli", "-p", str(port)] + list(args), check=True,
                              capture_output=True, text=True).stdout

    try:
        benchlib.wait_for_port(port, server)
        cli("CONFIG", "SET", "latency-monitor-threshold", "5")
        latest = []
        for ms in injected:
            time.sleep(0.1)
            cli("LATENCY", "RESET")
            cli("DEBUG", "SLEEP", "%g" % (ms / 1000))
            # LATENCY LATEST: event, time, latest ms, max ms (whole ms).
            fields = cli("LATENCY", "LATEST").split()
            latest.append(float(fields[fields.index("command") + 2]) if "command" in fields
                          else float("nan"))
        cli("SHUTDOWN", "NOSAVE")
        server.wait(timeout=30)
    finally:
        benchlib.stop(server)
    return latest, None


RUNTIMES = [("C", run_c, None), ("Python", run_python, "asyncio debug"),
            ("node", run_node, "monitorEventLoopDelay"), ("redis", run_redis, "LATENCY")]


def bound(ms):
    return 1 + 0.01 * ms


def describe(errors):
    return "%+8.3f %+8.3f" % (statistics.median(errors), max(errors, key=abs))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--stalls", default="10,50,300,1000")
    parser.add_argument("--build", default=os.path.join(benchlib.ROOT, "build"))
    opts = parser.parse_args()
    probe = benchlib.probe_library(opts.build)
    stalls = [float(s) for s in opts.stalls.split(",")]
    injected = [ms for _ in range(opts.repeat) for ms in stalls]
    base = {k: v for k, v in os.environ.items()
            if k != "LD_PRELOAD" and not k.startswith("STALLHOUND_")}

    print("ms, median and worst of %d stalls each: probe - injected, peer - injected,"
          " probe - self" % opts.repeat)
    print("%-7s %9s %17s %17s %17s  %s" % ("runtime", "injected", "probe", "peer", "probe-self",
                                          "peer"))
    worst, over, count, worst_self = 0.0, 0, 0, 0.0
    for name, run, peer_name in RUNTIMES:
        with tempfile.TemporaryDirectory() as work:
            env = dict(base, LD_PRELOAD=probe, STALLHOUND_THRESHOLD_MS="5",
                       STALLHOUND_OUTPUT=os.path.join(work, "r-%p.json"))
            peer, own = run(env, injected, work)
            measured = probe_stalls(work, injected)
        for ms in stalls:
            errors = [m - i for m, i in zip(measured, injected) if i == ms]
            peer_errors = [p - i for p, i in zip(peer or [], injected) if i == ms]
            self_errors = [m - o for m, o, i in zip(measured, own or [], injected) if i == ms]
            worst_here = max(abs(e) for e in errors)
            worst = max(worst, worst_here / bound(ms))
            over += sum(1 for e in errors if abs(e) > bound(ms))
            count += len(errors)
            print("%-7s %9g %s %s %s  %s" % (
                name, ms, describe(errors),
                describe(peer_errors) if peer_errors else "%17s" % "-",
                describe(self_errors) if self_errors else "%17s" % "-", peer_name or ""))
            worst_self = max([worst_self] + [abs(e) for e in self_errors])
    print("probe accuracy: %d of %d stalls (10-1000 ms; C, Python, node, redis) within "
          "1 ms + 1 %% of the injected stall (worst %.2f of that bound); probe - the loop's own "
          "clock at most %.3f ms; load average %s" % (
              count - over, count, worst, worst_self, benchlib.load_average()))


if __name__ == "__main__":
    main()
