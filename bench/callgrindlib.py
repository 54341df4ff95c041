# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Instructions per request of a server under valgrind --tool=callgrind, for
bench/server-overhead.py --callgrind (not a script).

Instruction counts do not depend on machine noise. The server runs under
callgrind with one profile per thread; a fixed number of requests is sent
one after the other on one connection (keep-alive HTTP, or redis SET/GET
pairs), each at a fixed time (Pacer), so that the work done per request does
not depend on timing. After a
warm-up the counters are dumped and zeroed (callgrind_control -d); the server
then idles for a while and is dumped again, which gives each thread's
instructions per second of wall time when there are no requests (uvicorn's
0.1 s ticks, the probe's watchdog and reporter); then N requests are sent and
the counters dumped, then 2N and dumped again. The difference of the two runs,
less each thread's idle rate times the difference of their durations, divided
by N, is the cost of one request: startup, the dumps, fixed costs and the work
that follows the clock (valgrind makes a request last about 100 times longer)
cancel.
"""
import collections
import glob
import http.client
import os
import re
import socket
import subprocess
import time

PROBE_OBJECT = "libstallhound-probe.so"


def valgrind_argv(out_prefix, argv):
    return ["valgrind", "--tool=callgrind", "--separate-threads=yes",
            "--callgrind-out-file=%s.%%p" % out_prefix] + argv


class Pacer:
    """Starts request I at I * PACE seconds, so that a run of N requests
    lasts N * PACE whatever the configuration: work that follows the clock
    (uvicorn's ticks) is the same per request in every configuration."""

    def __init__(self, pace):
        self.pace = pace
        self.start = time.monotonic()
        self.late = 0

    def wait(self, i):
        delay = self.start + i * self.pace - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        elif i:
            self.late += 1


def http_requests(port, count, pacer):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for i in range(count):
        pacer.wait(i)
        connection.request("GET", "/")
        response = connection.getresponse()
        body = response.read()
        if response.status != 200 or not body:
            raise SystemExit("request failed: %d %r" % (response.status, body[:80]))
    connection.close()


def redis_requests(port, count, pacer):
    """COUNT requests: SET and GET pairs on one connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=600) as s:
        stream = s.makefile("rb")
        for i in range(count):
            pacer.wait(i)
            if i % 2 == 0:
                s.sendall(b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
                expected = b"+OK\r\n"
            else:
                s.sendall(b"*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
                expected = b"$5\r\n"
            line = stream.readline()
            if line != expected:
                raise SystemExit("redis replied %r" % line)
            if i % 2:
                stream.readline()


def dump(pid, out_prefix, part, since, timeout_s=600):
    """Asks callgrind to write and zero its counters; returns the Part of
    dump number PART (the first dump is part 1), which began at SINCE
    (time.monotonic() after the previous dump): the program stops while
    callgrind dumps, so a part lasts until the dump is asked for."""
    asked = time.monotonic()
    subprocess.run(["callgrind_control", "-d", str(pid)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pattern = "%s.%d.%d-*" % (out_prefix, pid, part)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        files = glob.glob(pattern)
        if files and all(totals(f) is not None for f in files):
            return Part({int(f.rsplit("-", 1)[1]): f for f in files},
                        asked - since)
        time.sleep(0.2)
    raise SystemExit("callgrind wrote no dump %s" % pattern)


def totals(path):
    with open(path) as f:
        for line in f:
            if line.startswith("totals:"):
                return int(line.split()[1])
    return None


def function_costs(path):
    """{(object, function): [self, inclusive]} instructions of one dump."""
    names = {"ob": {}, "fn": {}}
    costs = collections.defaultdict(lambda: [0, 0])
    current = None
    obj = None
    in_call = False
    compressed = re.compile(r"\((\d+)\)(?: (.*))?")

    def name(kind, value):
        match = compressed.match(value)
        if not match:
            return value
        if match.group(2) is not None:
            names[kind][match.group(1)] = match.group(2)
        return names[kind].get(match.group(1), value)

    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            if key == "ob":
                obj = name("ob", value)
            elif key == "cob":
                name("ob", value)
            elif key == "fn":
                current = costs[(os.path.basename(obj or "?"), name("fn", value))]
            elif key == "cfn":
                name("fn", value)
            elif key == "calls":
                in_call = True
            elif line[:1].isdigit() or line[:1] in "+-*":
                fields = line.split()
                if current is None or len(fields) < 2:
                    continue
                cost = int(fields[1])
                current[1] += cost
                if not in_call:
                    current[0] += cost
                in_call = False
    return costs


class Part:
    """One dump: {thread: profile file} and the wall time it covers."""

    def __init__(self, files, seconds):
        self.files = files
        self.seconds = seconds

    def instructions(self, thread):
        return totals(self.files[thread]) if thread in self.files else 0


class Measurement:
    """Instructions per request of one server, per thread (1 is the main
    thread: the event loop of uvicorn, redis and a one-process nginx)."""

    def __init__(self, config, idle, first, second, requests):
        self.config = config
        self.requests = requests
        self.first, self.second = first, second
        threads = set(idle.files) | set(first.files) | set(second.files)
        self.idle_rate = {t: idle.instructions(t) / idle.seconds for t in threads}
        self.per_thread = {
            t: (second.instructions(t) - first.instructions(t) -
                self.idle_rate[t] * (second.seconds - first.seconds)) / requests
            for t in threads}

    @property
    def loop(self):
        return self.per_thread.get(1, 0.0)

    @property
    def loop_idle_rate(self):
        return self.idle_rate.get(1, 0.0)

    @property
    def others_idle_rate(self):
        return sum(v for t, v in self.idle_rate.items() if t != 1)

    def probe_self(self):
        """Instructions per request executed in the probe's own code by the
        loop thread (self costs: without the libc functions it calls)."""
        return sum(row[1] for row in self.probe_functions(None))

    def probe_functions(self, limit):
        """The probe's functions by self cost per request in the loop
        thread: [(function, self, inclusive)] (their part of the clock-driven
        work is not taken out)."""
        if 1 not in self.first.files or 1 not in self.second.files:
            return []
        before = function_costs(self.first.files[1])
        after = function_costs(self.second.files[1])
        rows = []
        for key, (self_cost, inclusive) in after.items():
            if key[0] != PROBE_OBJECT:
                continue
            old = before.get(key, [0, 0])
            rows.append((key[1], (self_cost - old[0]) / self.requests,
                         (inclusive - old[1]) / self.requests))
        rows.sort(key=lambda row: -row[1])
        return rows if limit is None else rows[:limit]
