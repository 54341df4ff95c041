#!/usr/bin/env python3
"""Serves server.py and sends one burst of concurrent requests.

usage: drive.py [--python PYTHON] [--path /report] [--requests N]
                [--work-seconds S] [--queue-waits FILE] [-- PREFIX...]

PREFIX runs the server (for example `stallhound run --output X --` or
`env LD_PRELOAD=libstallhound-probe.so`); the driver appends
`PYTHON server.py PORT_FILE S`. It waits for the server, sends N requests to
PATH at once (one thread each, every request with a timeout), stops the server
with SIGINT and prints what happened. --queue-waits FILE saves what the server
measured of the burst's waits for a worker (JSON: {"waits_ms": [...]}, one
per request). Exit status 1 when a request failed or the server did not stop
cleanly.
"""
import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def get(port, path, timeout):
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


def burst(port, path, count, timeout):
    """Sends count requests at once; returns (status, seconds) of each."""
    results = [(0, 0.0)] * count
    start = threading.Barrier(count)

    def one(index):
        start.wait()
        try:
            results[index] = get(port, path, timeout)
        except OSError:
            results[index] = (0, 0.0)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def wait_for_port(server, port_file):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("drive.py: the server exited with %d" % server.returncode)
        if os.path.exists(port_file):
            port = int(open(port_file).read())
            try:
                if get(port, "/ping", 1)[0] == 200:
                    return port
            except OSError:
                pass
        time.sleep(0.05)
    server.kill()
    sys.exit("drive.py: the server did not answer within 30 s")


def main():
    argv = sys.argv[1:]
    prefix = []
    if "--" in argv:
        prefix = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default="/usr/bin/python3")
    parser.add_argument("--path", default="/report")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--work-seconds", type=float, default=1.0)
    parser.add_argument("--queue-waits", default="")
    args = parser.parse_args(argv)

    port_file = os.path.join(tempfile.mkdtemp(prefix="stallhound-pool-"),
                             "port")
    server = subprocess.Popen(prefix + [
        args.python, os.path.join(HERE, "server.py"), port_file,
        str(args.work_seconds)])
    failed = False
    try:
        port = wait_for_port(server, port_file)
        rounds = args.requests / 5 + 2
        results = burst(port, args.path, args.requests,
                        timeout=30 + rounds * args.work_seconds)
        ok = sum(1 for status, _ in results if status == 200)
        failed = ok != args.requests
        print("requests path=%s sent=%d ok=%d" % (args.path, args.requests, ok),
              flush=True)
        if args.queue_waits:
            connection = http.client.HTTPConnection("127.0.0.1", port,
                                                    timeout=10)
            connection.request("GET", "/queue-waits")
            waits = json.loads(connection.getresponse().read())
            connection.close()
            with open(args.queue_waits, "w") as out:
                json.dump({"waits_ms": waits}, out)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait()
    print("server exit=%d" % code)
    return 1 if failed or code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
