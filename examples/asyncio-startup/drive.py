#!/usr/bin/env python3
"""Starts a server of this example, waits until it serves, asks it once and
stops it: its startup is all that happens on its loop.

usage: drive.py [--python PYTHON] [--startup cpu|import|none]
                [--uvicorn asyncio|uvloop] [-- PREFIX...]

By default the driver runs `PYTHON server.py PORT_FILE STARTUP` (the standard
library server); --uvicorn LOOP runs `PYTHON -m uvicorn asgi_app:app` on that
loop instead (PYTHON must have uvicorn). PREFIX runs the server (for example
`stallhound run --output X --` or `env LD_PRELOAD=libstallhound-probe.so`).
The server is stopped with SIGINT; every step is bounded. Prints what the
server answered and how it exited; exit status 1 when it did not answer or
did not stop cleanly.
"""
import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEADLINE_S = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask_line_server(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as peer:
        return peer.makefile().readline().strip()


def ask_http_server(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/")
        return connection.getresponse().read().decode().strip()
    finally:
        connection.close()


def wait_for_port_file(server, path):
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline and server.poll() is None:
        if os.path.exists(path):
            return int(open(path).read())
        time.sleep(0.05)
    return None


def ask_when_up(server, ask, port):
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline and server.poll() is None:
        try:
            return ask(port)
        except OSError:
            time.sleep(0.05)
    return None


def main():
    argv = sys.argv[1:]
    prefix = []
    if "--" in argv:
        prefix = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--startup", choices=["cpu", "import", "none"],
                        default="cpu")
    parser.add_argument("--uvicorn", choices=["asyncio", "uvloop"])
    args = parser.parse_args(argv)

    work = tempfile.mkdtemp(prefix="stallhound-startup-")
    port_file = os.path.join(work, "port")
    if args.uvicorn:
        port = free_port()
        command = [args.python, "-m", "uvicorn", "asgi_app:app", "--host",
                   "127.0.0.1", "--port", str(port), "--loop", args.uvicorn,
                   "--lifespan", "off", "--no-access-log"]
    else:
        command = [args.python, os.path.join(HERE, "server.py"), port_file,
                   args.startup]
    server = subprocess.Popen(prefix + command, cwd=HERE)
    try:
        if args.uvicorn:
            answer = ask_when_up(server, ask_http_server, port)
        else:
            port = wait_for_port_file(server, port_file)
            answer = ask_line_server(port) if port else None
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait()
    print("answer=%s" % answer)
    print("server exit=%d" % code)
    return 0 if answer == "ready" and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
