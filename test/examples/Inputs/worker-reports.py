"""usage: worker-reports.py DIR -- summarizes the probe reports of a
multi-process server: how many processes ran the app (its warm_cache startup
hook stalled their loop) and the running stalls of each handler, summed over
them."""
import glob
import json
import os
import sys
from collections import Counter

reports = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    with open(path) as f:
        reports.append(json.load(f))
app, stalls = 0, Counter()
for r in reports:
    findings = r["findings"]
    if not any((f.get("handler") or {}).get("name") == "warm_cache"
               for f in findings):
        continue
    app += 1
    for f in findings:
        if f["kind"] == "stall" and f["phase"] == "running" and f.get("handler"):
            stalls[f["handler"]["name"]] += f["count"]
print("app_processes=%d" % app)
for name, count in sorted(stalls.items()):
    print("%s stalls=%d" % (name, count))
