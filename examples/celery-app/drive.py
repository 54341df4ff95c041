#!/usr/bin/env python3
"""Serves app.py with uvicorn next to a local Redis and enqueues tasks.

usage: drive.py [--route enqueue|enqueue-offloaded] [--requests N]
                [-- PREFIX...]

Starts redis-server on a free loopback port (no persistence) as the Celery
broker, runs PREFIX (for example `stallhound run --output X --`) followed by
`/usr/bin/python3 -m uvicorn app:app ...`, sends N (20) requests one after
another to the route, stops the server with SIGINT and Redis, and prints one
line per route with the statuses. Exit status 1 when a request failed or the
server did not stop cleanly.
"""
import argparse
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def wait_for(check, what, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("drive.py: %s exited with %d" % (what, process.returncode))
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    sys.exit("drive.py: %s did not answer within %d s" % (what, seconds))


def start_redis(work):
    port = free_port()
    redis = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port),
         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", work], stdout=subprocess.DEVNULL)

    def answers():
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")

    wait_for(answers, "redis-server", redis)
    return redis, port


def main():
    argv = sys.argv[1:]
    prefix = []
    if "--" in argv:
        prefix = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser()
    parser.add_argument("--route", choices=["enqueue", "enqueue-offloaded"],
                        default="enqueue")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args(argv)
    if prefix and os.sep in prefix[0]:
        prefix[0] = os.path.abspath(prefix[0])

    work = tempfile.mkdtemp(prefix="stallhound-celery-")
    redis, redis_port = start_redis(work)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=HERE,
               CELERY_BROKER_URL="redis://127.0.0.1:%d/0" % redis_port)
    server = subprocess.Popen(
        prefix + [PYTHON, "-m", "uvicorn", "app:app", "--host", "127.0.0.1",
                  "--port", str(port), "--log-level", "warning"],
        cwd=HERE, env=env)
    failed = False
    try:
        wait_for(lambda: get(port, "/ping", timeout=1) == 200, "the server",
                 server)
        statuses = [get(port, "/" + args.route) for _ in range(args.requests)]
        failed = any(status != 200 for status in statuses)
        print("/%s %s x%d" % (args.route, ",".join(
            map(str, sorted(set(statuses)))), len(statuses)))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait()
        redis.terminate()
        redis.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print("server exit=%d" % code)
    return 1 if failed or code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
