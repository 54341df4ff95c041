"""Prints one line per finding of a stallhound JSON report read from stdin:
RULE HANDLER CALL [FUNCTION@FILE:LINE -> ...], with file base names."""
import json
import os
import sys

report = json.load(sys.stdin)
for f in report["findings"]:
    chain = " -> ".join(
        "%s@%s:%d" % (s["function"], os.path.basename(s["file"]), s["line"]) for s in f["chain"])
    print("%s %s %s [%s]" % (f["rule"], f["handler"]["name"], f["call"], chain))
for e in report["errors"]:
    print("error %s:%d:%d %s" % (os.path.basename(e["file"]), e["line"], e["column"], e["message"]))
