#!/usr/bin/env python3
"""Prints the merged JSON of stallhound report as stable lines for FileCheck.

usage: summarize.py REPORT.json
"""
import json
import sys


def ms(value):
    return "None" if value is None else "%.1f" % value


def main():
    report = json.load(open(sys.argv[1]))
    s = report["summary"]
    print("summary static=%d runtime=%d confirmed=%d processes=%d loops=%d "
          "stalls=%d worst=%s" % (s["static_findings"], s["runtime_findings"],
                                  s["confirmed"], s["processes"], s["loops"],
                                  s["stalls"], ms(s["worst_stall_ms"])))
    for f in report["findings"]:
        if f["source"] == "runtime":
            handler = (f["handler"] or {}).get("name")
            print("%s %s handler=%s count=%d total=%s max=%s p99=%s pids=%s "
                  "explained_by=%s gating=%s" % (
                      f["id"], f["rule"],
                      handler.split("(")[0] if handler else None, f["count"],
                      ms(f["total_ms"]), ms(f["max_ms"]), ms(f["p99_ms"]),
                      ",".join(str(p["pid"]) for p in f["processes"]),
                      f["explained_by"], f["gating"]))
        else:
            r = f["runtime"]
            figures = ("runtime=%s count=%d total=%s max=%s p99=%s" % (
                r["kind"], r["count"], ms(r["total_ms"]), ms(r["max_ms"]),
                ms(r["p99_ms"]))) if r else "runtime=None"
            print("%s %s handler=%s %s %s gating=%s" % (
                f["id"], f["rule"], f["handler"]["name"],
                "confirmed" if f["confirmed"] else "unconfirmed", figures,
                f["gating"]))
    for loop in report["loops"]:
        timeline = loop["timeline"]
        print("loop pid=%d iterations=%d stalls=%d p99_busy<=%s timeline=%s" % (
            loop["pid"], loop["iterations"], loop["stalls"]["count"],
            loop["busy"]["p99_ms_at_most"],
            None if timeline is None else ",".join(
                "%s@%s" % (ms(e["ms"]), ms(e["at_ms"] - e["ms"]))
                for e in timeline)))


if __name__ == "__main__":
    main()
