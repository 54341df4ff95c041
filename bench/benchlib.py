# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Helpers shared by the server benchmarks under bench/ (not a script).

Servers run pinned to CPU 0 and load generators to CPU 1 (taskset), so that
the server's CPU time is its own; a server's CPU time is utime + stime of all
its threads from /proc/PID/stat.
"""
import os
import shutil
import socket
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = "/usr/bin/python3"  # Debian's, with uvicorn and FastAPI
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SERVER_CPU, LOAD_CPU = "0", "1"


def pinned(cpu, argv):
    return ["taskset", "-c", cpu] + argv if shutil.which("taskset") else argv


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, timeout_s=30):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("server exited with %d before listening" % process.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not listen on port %d" % port)


def cpu_seconds(pid):
    """utime + stime of every thread of PID, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def thread_cpu_ns(pid):
    """{thread name: CPU time in ns} of PID's threads, summed by name
    (/proc/PID/task/TID/schedstat: nanoseconds, not 10 ms ticks)."""
    times = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                name = f.read().strip()
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                ns = int(f.read().split()[0])
        except OSError:
            continue  # the thread ended
        times[name] = times.get(name, 0) + ns
    return times


def status_kib(pid, field):
    """VmRSS, VmHWM, ... of PID in KiB."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def build_noop_preload(directory):
    """A preloaded library that does nothing: the baseline for the cost of
    preloading any library at all."""
    path = os.path.join(directory, "libnoop-preload.so")
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", path,
                    os.path.join(ROOT, "bench", "noop-preload.c")], check=True)
    return path


def probe_library(build_dir):
    path = os.path.join(os.path.abspath(build_dir), "lib", "libstallhound-probe.so")
    if not os.path.exists(path):
        raise SystemExit("no probe at %s: build first" % path)
    return path


def stop(process, timeout_s=10):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def spread(values):
    """'median (min-max)' of ratios."""
    return "%.3f (%.3f-%.3f)" % (statistics.median(values), min(values), max(values))


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])
