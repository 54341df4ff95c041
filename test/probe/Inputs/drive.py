#!/usr/bin/env python3
"""Drives probed servers for the probe tests; every step is bounded.

usage:
  drive.py signal SIGNAL WAIT_S -- CMD...   start CMD, wait, send SIGNAL, print
                                            how it ended
  drive.py status -- CMD...                 run CMD, print how it ended
  drive.py redis PROBE                      redis-server with the probe: DEBUG
                                            SLEEP 0.3, then KEYS * on 400k keys
  drive.py asio PROBE SERVER                asio-server with the probe: NAP 300
"""
import os
import signal
import subprocess
import sys
import time

DEADLINE_S = 60


def probed_env(probe):
    env = dict(os.environ)
    env["LD_PRELOAD"] = probe
    return env


def print_status(status):
    if status < 0:
        print("ended by signal %s" % signal.Signals(-status).name)
    else:
        print("exited %d" % status)


def run_status(argv):
    command = argv[argv.index("--") + 1:]
    print_status(subprocess.run(command, timeout=DEADLINE_S).returncode)


def run_signal(argv):
    sig = getattr(signal, argv[0])
    wait_s = float(argv[1])
    command = argv[argv.index("--") + 1:]
    child = subprocess.Popen(command)
    time.sleep(wait_s)
    child.send_signal(sig)
    try:
        status = child.wait(timeout=DEADLINE_S)
    except subprocess.TimeoutExpired:
        child.kill()
        status = child.wait()
    print_status(status)


def redis_cli(socket_path, *args):
    return subprocess.run(["redis-cli", "-s", socket_path] + list(args),
                          capture_output=True, text=True, timeout=DEADLINE_S).stdout


def run_redis(argv):
    probe = argv[0]
    socket_path = os.path.join(os.getcwd(), "redis.sock")
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", socket_path,
         "--enable-debug-command", "yes", "--save", "", "--appendonly", "no",
         "--daemonize", "no", "--loglevel", "warning", "--logfile", ""],
        env=probed_env(probe), stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(socket_path) and "PONG" in redis_cli(socket_path, "PING"):
                break
            time.sleep(0.1)
        print("sleep:", redis_cli(socket_path, "DEBUG", "SLEEP", "0.3").strip())
        redis_cli(socket_path, "DEBUG", "POPULATE", "400000")
        keys = redis_cli(socket_path, "KEYS", "*").count("\n")
        print("keys: %d" % keys)
        redis_cli(socket_path, "SHUTDOWN", "NOSAVE")
        server.wait(timeout=DEADLINE_S)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    print("redis exited %d" % server.returncode)


def run_asio(argv):
    probe, binary = argv[0], argv[1]
    server = subprocess.Popen([binary, "--port", "0", "--max-connections", "1"],
                              env=probed_env(probe), stdout=subprocess.PIPE,
                              text=True)
    try:
        line = server.stdout.readline()
        port = line.strip().rsplit(":", 1)[1]
        client = subprocess.run([binary, "--client", port, "NAP 300", "QUIT"],
                                capture_output=True, text=True,
                                timeout=DEADLINE_S)
        print("client:", client.stdout.strip())
        server.wait(timeout=DEADLINE_S)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    print("server exited %d" % server.returncode)


def main():
    mode, rest = sys.argv[1], sys.argv[2:]
    {"status": run_status, "signal": run_signal, "redis": run_redis, "asio": run_asio}[mode](rest)


if __name__ == "__main__":
    main()
