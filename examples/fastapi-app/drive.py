#!/usr/bin/env python3
"""Serves app.py with uvicorn and sends each scenario's request once.

usage: drive.py [--loop asyncio|uvloop] [--scenarios s1,s2,...]
                [--extension-dir DIR] [--measured FILE]
                [--server uvicorn|gunicorn] [--workers N]
                [--s6-requests N] [--queue-waits FILE] [-- PREFIX...]

PREFIX runs the server (for example `stallhound run --output X --` or
`env LD_PRELOAD=libstallhound-probe.so`); the driver appends
`/usr/bin/python3 -m uvicorn app:app ...`. It starts the slow backend of
scenario S3, waits for the server, sends the requests (bounded: every request
has a timeout), stops the server gracefully (SIGINT for uvicorn, SIGTERM for gunicorn) and
prints one line per request. --workers N serves with N worker processes,
by uvicorn's own supervisor or by gunicorn with uvicorn's worker class
(--server gunicorn); a scenario may then be named several times (s1,s1,...).
Scenario s2h is S2 through two helpers (the endpoint's CPU loop is in the
helper of a helper); s2h-short, only run when named, is the same for 150 ms.
--measured FILE saves what the app measured of
its own blocking (JSON: handler name to milliseconds). Scenario s6, only run
when named, sends --s6-requests (50) requests at once to a def endpoint that
the app's five worker threads serve one second each; --queue-waits FILE saves
what the app measured of their waits for a thread (JSON: {"waits_ms": [...]},
one per request). Exit status 1 when a request failed or the server
did not stop cleanly.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
ALL_SCENARIOS = ["s1", "s2", "s3", "s4", "s5", "s8", "s9", "s2h"]
PATHS = {"s1": "/s1/sleep", "s2": "/s2/cpu", "s3": "/s3/pong",
         "s4": "/s4/sync-sleep", "s5": "/s5/sync-cpu", "s6": "/s6/sync-slow",
         "s8": "/s8/background", "s9": "/s9/native",
         "s2h": "/s2/helpers", "s2h-short": "/s2/helpers?ms=150"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path, timeout=10):
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


def start_backend(directory):
    port_file = os.path.join(directory, "backend-port")
    backend = subprocess.Popen([PYTHON, os.path.join(HERE, "backend.py"),
                                port_file], stdin=subprocess.PIPE)
    for _ in range(100):
        if os.path.exists(port_file):
            return backend, int(open(port_file).read())
        time.sleep(0.05)
    backend.kill()
    sys.exit("drive.py: the backend did not start")


def wait_until_serving(server, port):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("drive.py: the server exited with %d" % server.returncode)
        try:
            if get(port, "/ping", timeout=1)[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("drive.py: the server did not answer within 30 s")


def ping_while(port, busy, latencies):
    """Scenario S5: async requests keep coming while a worker computes."""
    while busy.is_set():
        latencies.append(get(port, "/ping")[1])
        time.sleep(0.02)


def burst(port, path, count):
    """Sends count requests at once; returns (status, seconds) of each."""
    results = [(0, 0.0)] * count
    start = threading.Barrier(count)

    def one(index):
        start.wait()
        try:
            results[index] = get(port, path, timeout=30 + count)
        except OSError:
            results[index] = (0, 0.0)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def run_s6(port, count, waits_file):
    """Scenario S6: count requests at once for the app's five threads."""
    results = burst(port, PATHS["s6"], count)
    statuses = sorted(set(status for status, _ in results))
    if waits_file:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/s6/queue-waits")
            waits = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        with open(waits_file, "w") as out:
            json.dump({"waits_ms": waits}, out)
    status = statuses[0] if len(statuses) == 1 else 0
    return status, "s6 %s %s x%d" % (
        PATHS["s6"], ",".join(map(str, statuses)), count)


def run_scenario(port, name):
    if name != "s5":
        status, seconds = get(port, PATHS[name])
        if name == "s8":
            time.sleep(0.6)  # the background task runs after the response
        return status, "%s %s %d" % (name, PATHS[name], status)
    busy, latencies = threading.Event(), []
    busy.set()
    pinger = threading.Thread(target=ping_while, args=(port, busy, latencies))
    pinger.start()
    try:
        status, seconds = get(port, PATHS[name])
    finally:
        busy.clear()
        pinger.join()
    return status, "%s %s %d pings=%d" % (name, PATHS[name], status,
                                           len(latencies))


def save_measurements(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/measured")
        with open(path, "wb") as out:
            out.write(connection.getresponse().read())
    finally:
        connection.close()


def main():
    argv = sys.argv[1:]
    prefix = []
    if "--" in argv:
        prefix = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser()
    parser.add_argument("--loop", choices=["asyncio", "uvloop"],
                        default="asyncio")
    parser.add_argument("--scenarios", default=",".join(ALL_SCENARIOS))
    parser.add_argument("--extension-dir", default="",
                        help="where the slowext module of scenario S9 is")
    parser.add_argument("--measured", default="",
                        help="where to save the app's own measurements")
    parser.add_argument("--server", choices=["uvicorn", "gunicorn"],
                        default="uvicorn")
    parser.add_argument("--workers", type=int, default=0,
                        help="worker processes (default: one process)")
    parser.add_argument("--s6-requests", type=int, default=50,
                        help="requests sent at once in scenario s6")
    parser.add_argument("--queue-waits", default="",
                        help="where to save the app's queue waits of s6")
    args = parser.parse_args(argv)
    # The server runs in the app's directory: a relative program path in
    # PREFIX means one relative to here.
    if prefix and os.sep in prefix[0]:
        prefix[0] = os.path.abspath(prefix[0])

    work = tempfile.mkdtemp(prefix="stallhound-fastapi-")
    backend, backend_port = start_backend(work)
    port = free_port()
    env = dict(os.environ, PONG_BACKEND="127.0.0.1:%d" % backend_port)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in [HERE, os.path.abspath(args.extension_dir)
                    if args.extension_dir else "", env.get("PYTHONPATH", "")]
        if p)
    if args.server == "gunicorn":
        command = prefix + [PYTHON, "-m", "gunicorn", "app:app",
                            "--worker-class", "uvicorn.workers.UvicornWorker",
                            "--bind", "127.0.0.1:%d" % port,
                            "--workers", str(max(args.workers, 1))]
    else:
        command = prefix + [PYTHON, "-m", "uvicorn", "app:app", "--host",
                            "127.0.0.1", "--port", str(port), "--loop",
                            args.loop, "--no-access-log"]
        if args.workers:
            command += ["--workers", str(args.workers)]
    server = subprocess.Popen(command, cwd=HERE, env=env)
    failed = False
    try:
        wait_until_serving(server, port)
        for name in args.scenarios.split(","):
            if name == "s6":
                status, line = run_s6(port, args.s6_requests, args.queue_waits)
            else:
                status, line = run_scenario(port, name)
            print(line, flush=True)
            failed |= status != 200
        if args.measured:
            save_measurements(port, args.measured)
    finally:
        # Graceful stops: uvicorn on SIGINT; gunicorn on SIGTERM (its SIGINT
        # is a quick shutdown that kills the workers with SIGQUIT).
        server.send_signal(signal.SIGTERM if args.server == "gunicorn"
                           else signal.SIGINT)
        try:
            code = server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait()
        backend.stdin.close()
        backend.wait(timeout=5)
    print("server exit=%d" % code)
    return 1 if failed or code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
