#!/usr/bin/env python3
"""Prints one probe report file as a stable line for FileCheck.

usage: report-file.py REPORT.json

Prints 'report stalls=N ended=yes|no' (stalls summed over the loops); fails
when the file is not a complete report.
"""
import json
import sys

report = json.load(open(sys.argv[1]))
stalls = sum(loop["stalls"]["count"] for loop in report["loops"])
print("report stalls=%d ended=%s" % (stalls, "yes" if report["process"]["end"] else "no"))
