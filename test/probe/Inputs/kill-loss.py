#!/usr/bin/env python3
"""Kills a probed `fault-loop periodic` with SIGKILL and says what the probe's
files lost, run in the directory the reports go to.

usage: kill-loss.py WAIT_S -- CMD...

The host prints "stall N done at UNIX_MS" after each stalled handler. Prints:
  events: every stall streamed     (the stream has all stalls but the one the
                                    kill may have caught between the host's
                                    line and the probe's write)
  summary: at most 1 s behind      (the report counts every stall that ended
                                    more than 1 s before the kill)
or LOST lines with the numbers.
"""
import glob
import json
import signal
import subprocess
import sys
import time


def main():
    wait_s = float(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1:]
    host = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    time.sleep(wait_s)
    killed_ms = time.time() * 1000
    host.send_signal(signal.SIGKILL)
    out, _ = host.communicate(timeout=60)
    print("ended by signal %s" % signal.Signals(-host.returncode).name)
    done = [float(line.split()[-1]) for line in out.splitlines()
            if line.startswith("stall ")]
    if len(done) < 5:
        print("too few stalls: %d" % len(done))
        return
    streamed = 0
    for path in glob.glob("*.events.ndjson"):
        streamed += sum(1 for line in open(path) if json.loads(line)["event"] == "stall")
    if streamed >= len(done) - 1:
        print("events: every stall streamed")
    else:
        print("events: LOST %d of %d stalls" % (len(done) - streamed, len(done)))
    reports = glob.glob("*.json")
    summarized = sum(loop["stalls"]["count"] for path in reports
                     for loop in json.load(open(path))["loops"])
    old = sum(1 for at in done if at <= killed_ms - 1000)
    if summarized >= old:
        print("summary: at most 1 s behind")
    else:
        print("summary: LOST %d stalls that ended over 1 s before the kill"
              " (%d of %d in the report)" % (old - summarized, summarized, old))


if __name__ == "__main__":
    main()
