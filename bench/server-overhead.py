#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""What the probe costs a real server: server CPU time per request and
requests per second with the probe preloaded, divided by the same server
without it, over many alternating rounds.

usage: bench/server-overhead.py {uvicorn,redis,nginx} [--rounds N] [--seconds S]
                                [--requests N] [--build BUILD_DIR]
                                [--access-log]
       bench/server-overhead.py {uvicorn,redis,nginx} --callgrind
                                [--callgrind-requests N] [--warmup W]
                                [--pace T] [--idle S] [--slowdown F]
                                [--functions K]
                                [--profiles DIR]
                                [--build BUILD_DIR] [--access-log]

Each run lasts about S seconds (default 3): wrk -d S; redis-benchmark -n N,
raised from the warm-up's rate.

uvicorn serves bench/hello_app.py (async hello-world, asyncio loop) loaded by
wrk; redis-server is loaded by redis-benchmark GET/SET; nginx serves a 4 KiB
static file (one process: master_process off, so that its CPU time is the
server's; sendfile on; no access log unless --access-log) loaded by wrk. The servers run side
by side, all pinned to CPU 0, and the load generator on CPU 1 loads one at a
time; each round loads every configuration once, in a rotating order:

  none   the server alone
  noop   a preloaded library that does nothing (bench/noop-preload.c): the
         cost of preloading anything, i.e. the noise floor of the method
  probe  libstallhound-probe.so with its defaults
  debug  (uvicorn) PYTHONASYNCIODEBUG=1, asyncio's own slow-callback monitor

Server CPU time is utime + stime of all its threads (/proc/PID/stat, 10 ms
ticks), so the probe's own threads are counted; their share of the probed
server's CPU (watchdog, reporter, Python helper: from schedstat, in ns) is
printed apart. Prints per-configuration
medians, then ratios to `none` of the same round (median and min-max) and the
probe's to the no-op preload, and last the headline: the probe's
CPU-per-request ratio (target <= 1.01).

--callgrind counts instructions instead, a figure that does not depend on
machine noise (bench/callgrindlib.py): none, noop and probe each run under
valgrind --tool=callgrind (one profile per thread), get W warm-up requests
(--warmup), then N and 2N requests (--callgrind-requests N, default 200),
sent one after the other on one keep-alive connection (redis: SET/GET pairs),
one every T seconds (--pace, default 0.05: every run of N requests lasts the
same time in every configuration), so one request is one or two loop
iterations, the probe's worst case per request. Instructions per request are the difference of the two runs divided
by N, so startup cancels. Valgrind slows the server about 50-100 times and
the probe's clock is wall time: its time thresholds are multiplied by
--slowdown F (default 100) so that it judges the slowed server as it would the
real one (unscaled, every iteration is a stall and gets sampled). Prints, per
configuration, instructions per request of the loop thread (thread 1), less
its instructions per second when idle (S seconds of idling, --idle) times the
time the requests took, and the instructions per second of the loop thread
and of the other threads when idle: what follows the clock (uvicorn's 0.1 s
ticks, the probe's watchdog and reporter threads) is counted per second, since
valgrind stretches a request about 100 times. Then the probe's functions by
instructions per request in the loop thread (self and inclusive), and last
the headline: the loop thread's instructions per request, probe / none, beside
the no-op preload's (the method's noise floor: about +-0.2 %) and the
instructions run in the probe's own code per request (exact).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import callgrindlib  # noqa: E402


def uvicorn_argv(port):
    return [benchlib.PYTHON, "-m", "uvicorn", "hello_app:app", "--port", str(port),
            "--loop", "asyncio", "--log-level", "warning", "--no-access-log"]


def redis_argv(port):
    return ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--loglevel", "warning", "--logfile", ""]


NGINX_CONFIG = """daemon off;
master_process off;
worker_processes 1;
pid %(work)s/nginx-%(port)d.pid;
error_log %(work)s/nginx-%(port)d.error.log;
events { worker_connections 256; }
http {
  access_log %(access_log)s;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path %(work)s/body-%(port)d;
  proxy_temp_path %(work)s/proxy-%(port)d;
  fastcgi_temp_path %(work)s/fastcgi-%(port)d;
  uwsgi_temp_path %(work)s/uwsgi-%(port)d;
  scgi_temp_path %(work)s/scgi-%(port)d;
  server {
    listen 127.0.0.1:%(port)d;
    root %(work)s/www;
  }
}
"""


def nginx_argv(port, work, access_log):
    os.makedirs(os.path.join(work, "www"), exist_ok=True)
    page = os.path.join(work, "www", "index.html")
    if not os.path.exists(page):
        with open(page, "wb") as out:
            out.write(b"x" * 4096)
    config = os.path.join(work, "nginx-%d.conf" % port)
    with open(config, "w") as out:
        out.write(NGINX_CONFIG % {
            "work": work, "port": port,
            "access_log": os.path.join(work, "access-%d.log" % port)
            if access_log else "off"})
    return ["nginx", "-c", config, "-p", work]


def wrk(port, seconds):
    """Requests completed, or exits on any error."""
    out = subprocess.run(benchlib.pinned(benchlib.LOAD_CPU, [
        "wrk", "-t1", "-c16", "-d%ds" % seconds, "http://127.0.0.1:%d/" % port]),
        capture_output=True, text=True, check=True).stdout
    if "Socket errors" in out or "Non-2xx" in out:
        sys.exit("wrk saw errors:\n" + out)
    return int(re.search(r"(\d+) requests in", out).group(1))


def redis_benchmark(port, requests):
    subprocess.run(benchlib.pinned(benchlib.LOAD_CPU, [
        "redis-benchmark", "-p", str(port), "-t", "set,get", "-n", str(requests),
        "-c", "50", "-q"]), capture_output=True, text=True, check=True)
    return 2 * requests


class Server:
    def __init__(self, kind, config, env, port, work, access_log,
                 callgrind_prefix=None):
        self.config = config
        self.port = port
        argv = (uvicorn_argv(port) if kind == "uvicorn" else
                redis_argv(port) if kind == "redis" else
                nginx_argv(port, work, access_log))
        if callgrind_prefix:
            argv = callgrindlib.valgrind_argv(callgrind_prefix, argv)
        self.process = subprocess.Popen(
            benchlib.pinned(benchlib.SERVER_CPU, argv), env=env,
            cwd=os.path.join(benchlib.ROOT, "bench"), stdout=subprocess.DEVNULL,
            # asyncio's debug mode logs every slow step of the startup;
            # valgrind prints its banner
            stderr=subprocess.DEVNULL if config == "debug" or callgrind_prefix
            else None)
        benchlib.wait_for_port(port, self.process,
                               timeout_s=900 if callgrind_prefix else 30)
        self.cpu = []  # seconds per request, one per round
        self.rate = []  # requests per second


def probe_report(work):
    """(loops, stalls while running) of the probe's reports in WORK, or exits
    when there is none: the probe did not see the server's loop."""
    reports = [f for f in os.listdir(work) if f.startswith("probe-") and f.endswith(".json")]
    if not reports:
        sys.exit("the probe wrote no report: it did not see the server's loop")
    loops = stalls = 0
    for name in reports:
        with open(os.path.join(work, name)) as f:
            report = json.load(f)
        loops += len(report["loops"])
        stalls += sum(f.get("count", 0) for f in report["findings"]
                      if f["kind"] == "stall" and f.get("phase") == "running")
    return loops, stalls


def count_instructions(opts, envs, work):
    """--callgrind: instructions per request of each configuration."""
    send = (callgrindlib.redis_requests if opts.server == "redis"
            else callgrindlib.http_requests)
    results = {}
    for config, env in envs.items():
        prefix = os.path.join(opts.profiles or work, "callgrind-" + config)
        server = Server(opts.server, config, env, benchlib.free_port(), work,
                        opts.access_log, callgrind_prefix=prefix)
        try:
            pid = server.process.pid
            send(server.port, opts.warmup, callgrindlib.Pacer(0))
            callgrindlib.dump(pid, prefix, 1, time.monotonic())
            since = time.monotonic()
            time.sleep(opts.idle)
            idle = callgrindlib.dump(pid, prefix, 2, since)
            late = 0
            parts = []
            for count in (opts.callgrind_requests, 2 * opts.callgrind_requests):
                pacer = callgrindlib.Pacer(opts.pace)
                send(server.port, count, pacer)
                # The last request's slot ends the run.
                pacer.wait(count)
                late += pacer.late
                parts.append(callgrindlib.dump(pid, prefix, 3 + len(parts), pacer.start))
            first, second = parts
        finally:
            benchlib.stop(server.process, timeout_s=120)
        results[config] = callgrindlib.Measurement(config, idle, first, second,
                                                   opts.callgrind_requests)
        print("%s: %.0f instructions per request in the loop thread; %d and %d "
              "requests took %.1f s and %.1f s, idle %.1f s" % (
                  config, results[config].loop, opts.callgrind_requests,
                  2 * opts.callgrind_requests, first.seconds, second.seconds,
                  idle.seconds), flush=True)
        if late:
            print("  %d requests started late: raise --pace" % late, flush=True)
    loops, stalls = probe_report(work)

    # The other threads' work follows the clock, not the requests: their
    # per-request figure is noise around 0 (a reporter flush is ~7 million
    # instructions); their idle rate is what they cost.
    print("%-6s %20s %20s %20s" % ("config", "loop thread/request", "loop thread idle/s",
                                   "other threads idle/s"))
    for m in results.values():
        print("%-6s %20.0f %20.0f %20.0f" % (
            m.config, m.loop, m.loop_idle_rate, m.others_idle_rate))
    none, noop, probe = results["none"], results["noop"], results["probe"]
    for m in (noop, probe):
        print("%-6s / none: loop thread %.4f (%+.0f instructions)" % (
            m.config, m.loop / none.loop, m.loop - none.loop))
    print("probe's functions in the loop thread, instructions per request "
          "(self, inclusive):")
    for function, self_cost, inclusive in probe.probe_functions(opts.functions):
        print("  %8.0f %8.0f  %s" % (self_cost, inclusive, function))
    print("probe report: %d loop(s), %d stall(s) while serving (thresholds x %g)" % (
        loops, stalls, opts.slowdown))
    print("%s: loop-thread instructions per request under callgrind, probe / none: "
          "%.4f (%.0f -> %.0f, %+.0f); no-op preload %.4f (%+.0f); in the probe's "
          "own code %.0f (%.4f of none); the probe's threads %.0f instructions/s; "
          "%d and %d requests, one every %g s; target <= 1.02" % (
              opts.server, probe.loop / none.loop, none.loop, probe.loop,
              probe.loop - none.loop, noop.loop / none.loop, noop.loop - none.loop,
              probe.probe_self(), 1 + probe.probe_self() / none.loop,
              probe.others_idle_rate - none.others_idle_rate,
              opts.callgrind_requests, 2 * opts.callgrind_requests, opts.pace))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("server", choices=["uvicorn", "redis", "nginx"])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=3, help="length of a run")
    parser.add_argument("--requests", type=int, default=25000,
                        help="redis-benchmark -n (per test: GET and SET) for the warm-up;"
                        " runs take more when that lasts less than --seconds")
    parser.add_argument("--build", default=os.path.join(benchlib.ROOT, "build"))
    parser.add_argument("--access-log", action="store_true",
                        help="nginx: log every request to a file")
    parser.add_argument("--callgrind", action="store_true",
                        help="count instructions per request under valgrind instead")
    parser.add_argument("--callgrind-requests", type=int, default=200, metavar="N",
                        help="--callgrind: runs of N and 2N requests")
    parser.add_argument("--warmup", type=int, default=50,
                        help="--callgrind: requests before counting")
    parser.add_argument("--pace", type=float, default=0.05, metavar="T",
                        help="--callgrind: start a request every T seconds")
    parser.add_argument("--idle", type=float, default=20, metavar="S",
                        help="--callgrind: seconds of idling that measure the "
                        "instructions that follow the clock")
    parser.add_argument("--profiles", metavar="DIR",
                        help="--callgrind: keep the profiles in DIR (callgrind_annotate)")
    parser.add_argument("--slowdown", type=float, default=100,
                        help="--callgrind: factor on the probe's time thresholds")
    parser.add_argument("--functions", type=int, default=15, metavar="K",
                        help="--callgrind: how many of the probe's functions to list")
    opts = parser.parse_args()
    probe = benchlib.probe_library(opts.build)

    with tempfile.TemporaryDirectory() as work:
        base = {k: v for k, v in os.environ.items()
                if k != "LD_PRELOAD" and not k.startswith(("STALLHOUND_", "PYTHONASYNCIODEBUG"))}
        envs = {
            "none": dict(base),
            "noop": dict(base, LD_PRELOAD=benchlib.build_noop_preload(work)),
            "probe": dict(base, LD_PRELOAD=probe,
                          STALLHOUND_OUTPUT=os.path.join(work, "probe-%p.json")),
        }
        if opts.callgrind:
            for env in envs.values():
                env["PYTHONHASHSEED"] = "0"  # the same dict and set layouts
            envs["probe"].update(
                STALLHOUND_THRESHOLD_MS="%g" % (100 * opts.slowdown),
                STALLHOUND_BLOCKING_MS="%g" % (1 * opts.slowdown))
            count_instructions(opts, envs, work)
            return
        if opts.server == "uvicorn":
            envs["debug"] = dict(base, PYTHONASYNCIODEBUG="1")
        servers = []
        try:
            for config, env in envs.items():
                servers.append(Server(opts.server, config, env, benchlib.free_port(),
                                      work, opts.access_log))

            def load(server):
                if opts.server in ("uvicorn", "nginx"):
                    return wrk(server.port, opts.seconds)
                return redis_benchmark(server.port, opts.requests)

            for server in servers:  # warm up: imports, caches, the probe's loop
                start = time.monotonic()
                warm = load(server)
                rate = warm / (time.monotonic() - start)
            if opts.server == "redis":
                # Runs of about --seconds each: 10 ms CPU ticks need them long.
                opts.requests = max(opts.requests, int(rate * opts.seconds / 2))
            ratios = {s.config: ([], []) for s in servers if s.config != "none"}
            over_noop = []  # probe / no-op preload, CPU per request
            probe_threads = [0, 0]  # ns: the probe's own threads, all threads
            for round_ in range(opts.rounds):
                order = servers[round_ % len(servers):] + servers[:round_ % len(servers)]
                for server in order:
                    threads0 = benchlib.thread_cpu_ns(server.process.pid)
                    cpu0, start = benchlib.cpu_seconds(server.process.pid), time.monotonic()
                    requests = load(server)
                    cpu1, end = benchlib.cpu_seconds(server.process.pid), time.monotonic()
                    if server.config == "probe":
                        threads1 = benchlib.thread_cpu_ns(server.process.pid)
                        for name, ns in threads1.items():
                            used = ns - threads0.get(name, 0)
                            probe_threads[1] += used
                            if name.startswith("stallhound-"):
                                probe_threads[0] += used
                    server.cpu.append((cpu1 - cpu0) / requests)
                    server.rate.append(requests / (end - start))
                none, noop = servers[0], servers[1]
                for server in servers[1:]:
                    ratios[server.config][0].append(server.cpu[-1] / none.cpu[-1])
                    ratios[server.config][1].append(server.rate[-1] / none.rate[-1])
                over_noop.append(servers[2].cpu[-1] / noop.cpu[-1])
                print("round %d/%d: probe cpu/req ratio %.3f" % (
                    round_ + 1, opts.rounds, ratios["probe"][0][-1]), flush=True)
            probe_report(work)
        finally:
            for server in servers:
                benchlib.stop(server.process)

    print("%-6s %14s %12s" % ("config", "cpu us/request", "requests/s"))
    for server in servers:
        print("%-6s %14.2f %12.0f" % (server.config, statistics.median(server.cpu) * 1e6,
                                      statistics.median(server.rate)))
    for config, (cpu, rate) in ratios.items():
        print("%-6s / none: cpu per request %s, requests/s %s" % (
            config, benchlib.spread(cpu), benchlib.spread(rate)))
    cpu, rate = ratios["probe"]
    peer = ""
    if "debug" in ratios:
        peer = "; PYTHONASYNCIODEBUG=1 %.3f" % statistics.median(ratios["debug"][0])
    print("probe  / noop: cpu per request %s" % benchlib.spread(over_noop))
    print("probe's own threads (stallhound-*): %.2f %% of the probed server's CPU" % (
        100.0 * probe_threads[0] / max(probe_threads[1], 1)))
    print("%s: probe CPU per request / without: %s median (min-max) of %d rounds; "
          "no-op preload %s; probe / no-op %s%s; requests/s %s; load average %s; "
          "target <= 1.01" % (
              opts.server, benchlib.spread(cpu), opts.rounds,
              benchlib.spread(ratios["noop"][0]), benchlib.spread(over_noop), peer,
              benchlib.spread(rate), benchlib.load_average()))


if __name__ == "__main__":
    main()
