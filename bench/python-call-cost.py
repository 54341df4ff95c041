#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""What the probe adds to each fast blocking call of Python code on a loop.

usage: python-call-cost.py [--build DIR] [--python PYTHON] [--calls N]
                           [--rounds R]

A coroutine of an asyncio loop (two endpoints, each through a client helper,
the shape of Celery's .delay()) makes N fast blocking send/recv pairs on a
socket another process answers: the probe times each as a latent-blocking call
and names its endpoint from the Python call site (PythonCallSite.h). The loop
thread's own CPU time (time.thread_time) per call (a send and a recv) is
measured without a preload, with the no-op preload, with the probe, and with
the probe told not to record fast calls (STALLHOUND_LATENT=0: timed only), R
rounds side by side;
prints the medians, the spread and the probe's cost per call in
microseconds. PYTHON defaults to Debian's /usr/bin/python3 (any CPython
3.10-3.13 works).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from benchlib import ROOT, build_noop_preload, probe_library, spread

PROGRAM = r'''
import asyncio, os, socket, sys, time

def answer(sock):
    while True:
        data = sock.recv(4096)
        if not data:
            return
        sock.sendall(data)

class Client:
    def __init__(self, sock):
        self.sock = sock
    def publish(self, message):
        self.sock.sendall(message)
        return self.sock.recv(64)

async def enqueue_root(client):
    return client.publish(b"add")

async def report_root(client):
    return client.publish(b"rep")

async def main(calls):
    ours, theirs = socket.socketpair()
    if os.fork() == 0:  # the peer in its own process: no GIL hand-offs
        ours.close()
        answer(theirs)
        os._exit(0)
    theirs.close()
    client = Client(ours)
    for _ in range(100):  # warm up: the call sites are read once
        await enqueue_root(client)
        await report_root(client)
    await asyncio.sleep(0)
    started = time.thread_time()
    for i in range(calls // 2):
        await enqueue_root(client)
        await report_root(client)
    print(time.thread_time() - started)

asyncio.run(main(int(sys.argv[1])))
'''


def run(python, env, calls):
    out = subprocess.run([python, "-c", PROGRAM, str(calls)], env=env,
                         check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1]) / calls * 1e6  # µs of loop CPU per call


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--python", default="/usr/bin/python3")
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="stallhound-call-cost-")
    variants = {
        "none": {},
        "noop": {"LD_PRELOAD": build_noop_preload(work)},
        "probe": {"LD_PRELOAD": probe_library(args.build),
                  "STALLHOUND_OUTPUT": os.path.join(work, "r-%p.json"),
                  "STALLHOUND_LATENT": "1"},
        # Timed but not recorded: the cost of naming the call site.
        "probe-unnamed": {"LD_PRELOAD": probe_library(args.build),
                          "STALLHOUND_OUTPUT": os.path.join(work, "u-%p.json"),
                          "STALLHOUND_LATENT": "0"},
    }
    results = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, extra in variants.items():
            env = dict(os.environ, **extra)
            results[name].append(run(args.python, env, args.calls))
    medians = {name: statistics.median(v) for name, v in results.items()}
    for name, values in results.items():
        print("%-13s %.2f us per call (%s)" % (name, medians[name],
                                              spread(values)))
    print("probe - none: %+.2f us per call; probe / none %.3f" % (
        medians["probe"] - medians["none"], medians["probe"] / medians["none"]))
    print("probe - noop: %+.2f us per call" % (
        medians["probe"] - medians["noop"]))
    print("probe - probe-unnamed (recording and naming the two calls): "
          "%+.2f us per call" % (medians["probe"] - medians["probe-unnamed"]))


if __name__ == "__main__":
    sys.exit(main())
