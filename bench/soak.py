#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Soak test: the probe inside a server under load for a minute, with a stall
injected every second. Exits 0 when every check passed.

usage: bench/soak.py {uvicorn,redis} [--seconds S] [--build BUILD_DIR]

uvicorn (bench/hello_app.py) is loaded by wrk and sent GET /stall (an async
endpoint calling time.sleep(0.15)) every second; redis-server is loaded by
redis-benchmark GET/SET and a client that checks every reply, and sent
DEBUG SLEEP 0.15 every second. Server pinned to CPU 0, load to CPU 1.
Checks:
  - the server never dies and exits cleanly when asked (no crash);
  - no request failed (wrk errors, redis-benchmark status, checked replies);
  - the report is valid JSON, ended, and counts exactly the injected stalls,
    attributed to the sleep;
  - RSS grows by less than 4 MiB from 10 s to the end.
Registered as CTest tests with the label soak when configured with
-DSTALLHOUND_SOAK=ON (ctest -L soak); never part of the default run.
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

STALL_S = 0.15


class Soak:
    def __init__(self, kind, seconds, env, work):
        self.kind, self.seconds, self.work = kind, seconds, work
        self.port = benchlib.free_port()
        self.failures = []
        self.stalls = 0
        if kind == "uvicorn":
            argv = [benchlib.PYTHON, "-m", "uvicorn", "hello_app:app", "--port", str(self.port),
                    "--loop", "asyncio", "--log-level", "warning", "--no-access-log"]
            self.sleep_call = "clock_nanosleep"
        else:
            argv = ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no",
                    "--daemonize", "no", "--loglevel", "warning", "--logfile", "",
                    "--enable-debug-command", "yes"]
            self.sleep_call = "nanosleep"
        self.server = subprocess.Popen(
            benchlib.pinned(benchlib.SERVER_CPU, argv), env=env, stdout=subprocess.DEVNULL,
            cwd=os.path.join(benchlib.ROOT, "bench"))
        benchlib.wait_for_port(self.port, self.server)

    def fail(self, what):
        self.failures.append(what)

    def redis(self, connection, *args):
        command = "*%d\r\n" % len(args) + "".join(
            "$%d\r\n%s\r\n" % (len(a), a) for a in args)
        connection.sendall(command.encode())
        return connection.recv(4096).decode()

    def inject_stall(self):
        if self.kind == "uvicorn":
            body = urllib.request.urlopen("http://127.0.0.1:%d/stall" % self.port,
                                          timeout=10).read()
            return body == b"stalled"
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as c:
            return self.redis(c, "DEBUG", "SLEEP", str(STALL_S)) == "+OK\r\n"

    def stall_every_second(self, deadline):
        while time.monotonic() + 1 < deadline:
            time.sleep(1 - STALL_S)
            try:
                if self.inject_stall():
                    self.stalls += 1
                else:
                    self.fail("a stall request got a wrong reply")
            except OSError as error:
                self.fail("stall request: %s" % error)

    def check_redis_replies(self, deadline):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as c:
            n = 0
            while time.monotonic() < deadline:
                n += 1
                value = "v%d" % n
                if self.redis(c, "SET", "soak", value) != "+OK\r\n" or \
                        self.redis(c, "GET", "soak") != "$%d\r\n%s\r\n" % (len(value), value):
                    self.fail("redis reply %d was wrong" % n)
                time.sleep(0.01)

    def load(self, deadline):
        if self.kind == "uvicorn":
            out = subprocess.run(benchlib.pinned(benchlib.LOAD_CPU, [
                "wrk", "-t1", "-c16", "-d%ds" % int(deadline - time.monotonic()),
                "--timeout", "5s", "http://127.0.0.1:%d/" % self.port]),
                capture_output=True, text=True).stdout
            if "Socket errors" in out or "Non-2xx" in out:
                self.fail("wrk: " + " ".join(out.split()))
            self.requests = int(re.search(r"(\d+) requests in", out).group(1))
            return
        self.requests = 0
        while time.monotonic() < deadline - 2:
            run = subprocess.run(benchlib.pinned(benchlib.LOAD_CPU, [
                "redis-benchmark", "-p", str(self.port), "-t", "set,get", "-n", "20000",
                "-c", "20", "-q"]), capture_output=True, text=True)
            if run.returncode != 0 or "rror" in run.stdout + run.stderr:
                self.fail("redis-benchmark: " + (run.stdout + run.stderr).strip())
            self.requests += 40000

    def run(self):
        start = time.monotonic()
        deadline = start + self.seconds
        workers = [threading.Thread(target=self.stall_every_second, args=(deadline,))]
        if self.kind == "redis":
            workers.append(threading.Thread(target=self.check_redis_replies, args=(deadline,)))
        for w in workers:
            w.start()
        rss = {}

        def sample_rss():
            time.sleep(10)
            rss["10s"] = benchlib.status_kib(self.server.pid, "VmRSS")

        sampler = threading.Thread(target=sample_rss)
        sampler.start()
        self.load(deadline)
        for w in workers + [sampler]:
            w.join()
        if self.server.poll() is not None:
            self.fail("the server died during the soak (status %d)" % self.server.returncode)
            return
        rss["end"] = benchlib.status_kib(self.server.pid, "VmRSS")
        growth = (rss["end"] - rss["10s"]) / 1024
        print("RSS %.1f MiB at 10 s, %.1f MiB at %d s: %+.2f MiB" % (
            rss["10s"] / 1024, rss["end"] / 1024, self.seconds, growth))
        if growth >= 4:
            self.fail("RSS grew by %.1f MiB" % growth)
        self.server.send_signal(signal.SIGTERM)
        status = self.server.wait(timeout=30)
        if status != 0:
            self.fail("the server exited with %d" % status)
        self.check_report()

    def check_report(self):
        reports = [f for f in os.listdir(self.work) if f.endswith(".json")]
        if len(reports) != 1:
            self.fail("expected one report, found %s" % reports)
            return
        try:
            report = json.load(open(os.path.join(self.work, reports[0])))
        except ValueError as error:
            self.fail("the report is not valid JSON: %s" % error)
            return
        if not report["process"]["end"]:
            self.fail("the report does not say the process ended")
        counted = sum(f["count"] for f in report["findings"] if f["kind"] == "stall" and
                      f["phase"] == "running" and f["call"] == self.sleep_call)
        other = sum(f["count"] for f in report["findings"] if f["kind"] == "stall" and
                    f["phase"] == "running" and f["call"] != self.sleep_call)
        print("%s: %d requests, %d stalls injected; the report counts %d stalls in %s "
              "(and %d others)" % (self.kind, self.requests, self.stalls, counted,
                                   self.sleep_call, other))
        if counted != self.stalls or self.stalls < self.seconds * 0.8:
            self.fail("stalls: %d injected, %d reported" % (self.stalls, counted))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server", choices=["uvicorn", "redis"])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--build", default=os.path.join(benchlib.ROOT, "build"))
    opts = parser.parse_args()
    probe = benchlib.probe_library(opts.build)
    with tempfile.TemporaryDirectory() as work:
        env = {k: v for k, v in os.environ.items()
               if k != "LD_PRELOAD" and not k.startswith("STALLHOUND_")}
        env.update(LD_PRELOAD=probe, STALLHOUND_OUTPUT=os.path.join(work, "soak-%p.json"))
        soak = Soak(opts.server, opts.seconds, env, work)
        try:
            soak.run()
        finally:
            benchlib.stop(soak.server)
    for failure in soak.failures:
        print("FAIL: " + failure)
    print("soak %s: %s" % (opts.server, "FAILED" if soak.failures else "passed"))
    sys.exit(1 if soak.failures else 0)


if __name__ == "__main__":
    main()
