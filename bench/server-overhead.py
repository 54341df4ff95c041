#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""What the probe costs a real server: server CPU time per request and
requests per second with the probe preloaded, divided by the same server
without it, over many alternating rounds.

usage: bench/server-overhead.py {uvicorn,redis,nginx} [--rounds N] [--seconds S]
                                [--requests N] [--build BUILD_DIR]
                                [--access-log]

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
ticks), so the probe's own threads are counted. Prints per-configuration
medians, then ratios to `none` of the same round (median and min-max) and the
probe's to the no-op preload, and last the headline: the probe's
CPU-per-request ratio (target <= 1.01).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


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
    def __init__(self, kind, config, env, port, work, access_log):
        self.config = config
        self.port = port
        argv = (uvicorn_argv(port) if kind == "uvicorn" else
                redis_argv(port) if kind == "redis" else
                nginx_argv(port, work, access_log))
        self.process = subprocess.Popen(
            benchlib.pinned(benchlib.SERVER_CPU, argv), env=env,
            cwd=os.path.join(benchlib.ROOT, "bench"), stdout=subprocess.DEVNULL,
            # asyncio's debug mode logs every slow step of the startup
            stderr=subprocess.DEVNULL if config == "debug" else None)
        benchlib.wait_for_port(port, self.process)
        self.cpu = []  # seconds per request, one per round
        self.rate = []  # requests per second


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server", choices=["uvicorn", "redis", "nginx"])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=3, help="length of a run")
    parser.add_argument("--requests", type=int, default=25000,
                        help="redis-benchmark -n (per test: GET and SET) for the warm-up;"
                        " runs take more when that lasts less than --seconds")
    parser.add_argument("--build", default=os.path.join(benchlib.ROOT, "build"))
    parser.add_argument("--access-log", action="store_true",
                        help="nginx: log every request to a file")
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
            for round_ in range(opts.rounds):
                order = servers[round_ % len(servers):] + servers[:round_ % len(servers)]
                for server in order:
                    cpu0, start = benchlib.cpu_seconds(server.process.pid), time.monotonic()
                    requests = load(server)
                    cpu1, end = benchlib.cpu_seconds(server.process.pid), time.monotonic()
                    server.cpu.append((cpu1 - cpu0) / requests)
                    server.rate.append(requests / (end - start))
                none, noop = servers[0], servers[1]
                for server in servers[1:]:
                    ratios[server.config][0].append(server.cpu[-1] / none.cpu[-1])
                    ratios[server.config][1].append(server.rate[-1] / none.rate[-1])
                over_noop.append(servers[2].cpu[-1] / noop.cpu[-1])
                print("round %d/%d: probe cpu/req ratio %.3f" % (
                    round_ + 1, opts.rounds, ratios["probe"][0][-1]), flush=True)
            reports = [f for f in os.listdir(work) if f.startswith("probe-") and f.endswith(".json")]
            if not reports:
                sys.exit("the probe wrote no report: it did not see the server's loop")
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
    print("%s: probe CPU per request / without: %s median (min-max) of %d rounds; "
          "no-op preload %s; probe / no-op %s%s; requests/s %s; load average %s; "
          "target <= 1.01" % (
              opts.server, benchlib.spread(cpu), opts.rounds,
              benchlib.spread(ratios["noop"][0]), benchlib.spread(over_noop), peer,
              benchlib.spread(rate), benchlib.load_average()))


if __name__ == "__main__":
    main()
