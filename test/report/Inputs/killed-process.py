"""usage: killed-process.py INPUTS OUT_DIR -- writes, from INPUTS/proc-a.*,
the report and event stream of a process killed (SIGKILL) 1.5 s after the
report was last rewritten: the report has no end, and the stream has what
happened since: a third stall of handle_nap (a finding the report has), an
fsync blocking call in handle_flush (a finding the report never got),
announced after its first occurrence, and a stall of handle_wedge still going
on when the process died (open-stall lines, the newest at 2.5 s, no stall
line closing them; an earlier open stall of iteration 40 was closed).
With --exited the stream ends with an exit line: nothing was killed."""
import copy
import json
import os
import sys

inputs, out = sys.argv[1], sys.argv[2]
exited = "--exited" in sys.argv
with open(os.path.join(inputs, "proc-a.json")) as f:
    report = json.load(f)
report["process"]["end"] = None
with open(os.path.join(out, "proc-killed.json"), "w") as f:
    json.dump(report, f)

with open(os.path.join(inputs, "proc-a.events.ndjson")) as f:
    lines = [l for l in f if '"event":"exit"' not in l]
flush = copy.deepcopy(next(x for x in report["findings"] if x["id"] == 5))
flush.update(id=9, kind="blocking-call", call="fsync", count=1,
             total_ms=40.0, max_ms=40.0, p99_ms=40.0)
flush["handler"]["name"] = "app::handle_flush()"
wedge = {"name": "app::handle_wedge()", "module": "/srv/app/bin/server",
         "file": "/srv/app/src/wedge.cpp", "line": 7, "language": "c++"}
stack = [{"function": "app::handle_wedge()", "module": "/srv/app/bin/server",
          "build_id": "", "offset": "0x1234", "address": "0x401234",
          "file": None, "line": None}]


def open_stall(iteration, at, elapsed):
    return {"event": "open-stall", "at_ms": at, "tid": 101,
            "iteration": iteration, "since_ms": at - elapsed,
            "elapsed_ms": elapsed, "phase": "running", "call": "futex",
            "cause": "blocking-call", "sampled": False, "handler": wedge,
            "stack": stack}


events = [
    open_stall(40, 6500.0, 100.0),
    {"event": "stall", "at_ms": 6600.0, "tid": 101, "iteration": 40,
     "finding": 0, "call": "nanosleep", "phase": "running", "ms": 200.0},
    {"event": "blocking-call", "at_ms": 6700.0, "tid": 101, "finding": 9,
     "call": "fsync", "phase": "running", "ms": 40.0},
    {"event": "finding", "finding": flush},
    open_stall(57, 7000.0, 100.0),
    open_stall(57, 9400.0, 2500.0),
]
if exited:
    events.append({"event": "exit", "at_ms": 9500.0, "how": "exit",
                   "status": 0})
with open(os.path.join(out, "proc-killed.events.ndjson"), "w") as f:
    f.writelines(lines)
    for e in events:
        f.write(json.dumps(e) + "\n")
