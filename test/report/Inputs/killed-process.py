"""usage: killed-process.py INPUTS OUT_DIR -- writes, from INPUTS/proc-a.*,
the report and event stream of a process killed (SIGKILL) 1.5 s after the
report was last rewritten: the report has no end, and the stream has what
happened since: a third stall of handle_nap (a finding the report has) and
an fsync blocking call in handle_flush (a finding the report never got),
announced after its first occurrence."""
import copy
import json
import os
import sys

inputs, out = sys.argv[1], sys.argv[2]
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
events = [
    {"event": "stall", "at_ms": 6600.0, "tid": 101, "finding": 0,
     "call": "nanosleep", "phase": "running", "ms": 200.0},
    {"event": "blocking-call", "at_ms": 6700.0, "tid": 101, "finding": 9,
     "call": "fsync", "phase": "running", "ms": 40.0},
    {"event": "finding", "finding": flush},
]
with open(os.path.join(out, "proc-killed.events.ndjson"), "w") as f:
    f.writelines(lines)
    for e in events:
        f.write(json.dumps(e) + "\n")
