#!/usr/bin/env python3
"""Prints each SARIF result's rule, handler and partial fingerprints, sorted,
one per line: two runs of the same program must print the same lines.

usage: fingerprints.py FILE.sarif [--runtime-only]
"""
import json
import sys

log = json.load(open(sys.argv[1]))
runtime_only = "--runtime-only" in sys.argv
lines = set()
for result in log["runs"][0]["results"]:
    if runtime_only and not result["ruleId"].startswith("runtime/"):
        continue
    prints = " ".join("%s=%s" % kv for kv in sorted(result["partialFingerprints"].items()))
    lines.add("%s %s %s" % (result["ruleId"], result["properties"].get("handler"), prints))
for line in sorted(lines):
    print(line)
