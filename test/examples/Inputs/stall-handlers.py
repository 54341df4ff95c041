#!/usr/bin/env python3
"""Counts the stalls of the probe reports in a directory by what names them.

usage: stall-handlers.py DIR

One line per phase, cause, handler and hot function, with the number of
stalls (the findings' counts summed: a finding is per sampled stack, so one
endpoint's stalls may be several findings), ordered by phase and handler:
  stalls phase=PHASE cause=CAUSE handler=NAME hot=NAME count=N
"""
import collections
import glob
import json
import os
import sys


def main():
    counts = collections.Counter()
    reports = glob.glob(os.path.join(sys.argv[1], "*.json"))
    if not reports:
        print("no reports")
    for path in reports:
        for finding in json.load(open(path))["findings"]:
            if finding["kind"] != "stall":
                continue
            handler = finding["handler"] or {}
            hot = handler.get("hot_function") or {}
            counts[(finding["phase"], finding.get("cause"), handler.get("name"),
                    hot.get("name"))] += finding["count"]
    for (phase, cause, name, hot), count in sorted(
            counts.items(), key=lambda item: tuple(map(str, item[0]))):
        print("stalls phase=%s cause=%s handler=%s hot=%s count=%d" % (
            phase, cause, name, hot, count))


if __name__ == "__main__":
    main()
