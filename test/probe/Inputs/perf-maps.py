"""usage: perf-maps.py DIR [--remove] -- counts the /tmp/perf-PID.map files of
the processes whose event streams are in DIR; --remove then deletes them."""
import glob
import json
import os
import sys

left = []
for stream in glob.glob(os.path.join(sys.argv[1], "*.events.ndjson")):
    with open(stream) as f:
        pid = json.loads(f.readline())["pid"]
    path = "/tmp/perf-%d.map" % pid
    if os.path.exists(path):
        left.append(path)
print("perf maps left: %d" % len(left))
if "--remove" in sys.argv:
    for path in left:
        os.unlink(path)
