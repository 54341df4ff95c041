#!/usr/bin/env python3
"""Prints each SARIF result's rule, handler and partial fingerprints, sorted,
one per line: two runs of the same program must print the same lines.

usage: fingerprints.py FILE.sarif [--rule RULE]
"""
import json
import sys

log = json.load(open(sys.argv[1]))
rule = sys.argv[sys.argv.index("--rule") + 1] if "--rule" in sys.argv else None
lines = set()
for result in log["runs"][0]["results"]:
    if rule and result["ruleId"] != rule:
        continue
    prints = " ".join("%s=%s" % kv for kv in sorted(result["partialFingerprints"].items()))
    lines.add("%s %s %s" % (result["ruleId"], result["properties"].get("handler"), prints))
for line in sorted(lines):
    print(line)
