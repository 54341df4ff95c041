#!/usr/bin/env python3
"""Prints the stallhound probe reports in a directory as stable lines for
FileCheck.

usage: report.py DIR [--accuracy MS] [--events] [--open-stalls]
                 [--stack-depth N] [--dropped] [--durations] [--loop-slots]
                 [--placement]
                 [--severity]

For each report (ordered by pid): the process, sampling state, loops and
findings (ordered by kind, call, handler), each finding with its stack.
--accuracy MS checks the findings whose max is near MS, the injected delay: a
blocking call must last MS within 1 ms + 1 % below (a CPU loop timed with a
millisecond clock ends early) and 5 % + 5 ms above (a loaded machine wakes
sleepers late); a stall must match the blocking call that
caused it within 1 ms + 1 %, or, with no such call (CPU), the injected MS like
a blocking call. Prints 'accuracy ok' or 'accuracy BAD' with the numbers.
--events summarizes each NDJSON event stream instead (open-stall lines are
left out of its counts); --open-stalls prints, per stall the watchdog streamed
while it lasted, its newest open-stall line and whether a stall line closed
it. --loop-slots prints only the number of loops listed and what the report
says of its loop slots (capacity, loops over it, ended loops not listed). --placement adds, per report,
the process's latest change of user and the directory its report could not
be written in. --durations prints each
finding's duration histogram: the bucket holding the p99, whether p99_ms is
within its bucket and the maximum, and whether the buckets add up to count.
--severity adds each finding's severity (and origin, when it has one).
"""
import glob
import json
import os
import sys


def short(name):
    """A function name without parameters or template arguments."""
    if not name or name.startswith("<"):
        return name  # Python's <module>, <lambda>
    name = name.replace("(anonymous namespace)", "{anon}")
    for stop in "(<":
        if stop in name:
            name = name[:name.index(stop)]
    return name


def frames(finding, depth):
    return " < ".join(short(frame.get("function")) or "??"
                      for frame in finding.get("stack", [])[:depth])


def check_accuracy(finding, findings, injected):
    got = finding["max_ms"]
    if abs(got - injected) >= injected / 2:
        return
    cause = [f["max_ms"] for f in findings
             if f["kind"] in ("blocking-call", "gil-held-blocking")
             and f["call"] == finding["call"]
             and abs(f["max_ms"] - injected) < injected / 2]
    if finding["kind"] == "stall" and cause:
        delta = got - max(cause)
        ok = -0.001 <= delta <= 1 + 0.01 * injected
        print("  accuracy %s: stall %.3f ms, %.3f ms over its %s of %.3f ms" % (
            "ok" if ok else "BAD", got, delta, finding["call"], max(cause)))
    else:
        ok = injected - (1 + 0.01 * injected) <= got <= injected * 1.05 + 5
        print("  accuracy %s: %.3f ms for %.0f ms injected" % (
            "ok" if ok else "BAD", got, injected))


def print_loop_slots(report):
    slots = report["loop_slots"]
    names = sorted(t["thread_name"] for t in slots["over_capacity_threads"])
    print("loops listed=%d capacity=%d over_capacity=%d ended_unlisted=%d" % (
        len(report["loops"]), slots["capacity"], slots["over_capacity"],
        slots["ended_unlisted"]))
    print("  over capacity threads: %d %s" % (len(names), " ".join(names)))


def print_report(path, args):
    report = json.load(open(path))
    if args["loop_slots"]:
        print_loop_slots(report)
        return
    process = report["process"]
    print("report pid=%d exe=%s forked=%s ended=%s" % (
        process["pid"], os.path.basename(process["exe"]),
        "yes" if process["forked_from"] else "no",
        "yes" if process["end"] else "no"))
    if args["placement"]:
        changed = process.get("credentials_changed")
        fallback = process.get("report_fallback")
        print("placement credentials=%s fallback=%s" % (
            "%d:%d" % (changed["uid"], changed["gid"]) if changed else None,
            "%s(%s)" % (os.path.dirname(fallback["wanted"]), fallback["error"])
            if fallback else None))
    sampling = report["sampling"]
    print("sampling enabled=%s off_reason=%s signals=%d" % (
        "yes" if sampling["enabled"] else "no", sampling["off_reason"],
        sampling["signals_sent"]))
    for unknown in (report.get("python") or {}).get("unknown", []):
        print("python %s unknown: %s (%s)" % (
            report["python"]["version"], unknown["what"], unknown["why"]))
    for loop in report["loops"]:
        gil = ""
        if "gil_waits" in loop:
            gil = " gil_waits=%d" % loop["gil_waits"]["count"]
        print("loop wait=%s iterations=%d stalls=%d%s" % (
            loop["wait"], loop["iterations"], loop["stalls"]["count"], gil))
    if args["dropped"]:
        print("dropped " + " ".join(
            "%s=%d" % kv for kv in sorted(report["dropped"].items())))
    findings = sorted(report["findings"], key=lambda f: (
        f["kind"], f["call"], (f["handler"] or {}).get("name", "")))
    for f in findings:
        handler = f["handler"]
        where = ""
        if handler and handler.get("file"):
            where = " at=%s:%s" % (os.path.basename(handler["file"]),
                                   handler.get("line"))
        extra = ""
        if handler and handler.get("def_line"):
            extra += " def=%d" % handler["def_line"]
        if f.get("cause"):
            extra += " cause=" + f["cause"]
        if f.get("task"):
            extra += " task=" + f["task"]
        if handler and handler.get("hot_function"):
            hot = handler["hot_function"]
            extra += " hot=%s@%s:%d" % (hot["name"], os.path.basename(hot["file"]),
                                        hot["line"])
        if args["severity"]:
            extra += " severity=" + f["severity"]
            if f.get("origin"):
                extra += " origin=" + f["origin"]
        print("finding kind=%s call=%s phase=%s count=%d handler=%s language=%s%s%s"
              % (f["kind"], f["call"], f["phase"], f["count"],
                 short(handler["name"]) if handler else None,
                 handler["language"] if handler else None, where, extra))
        print("  stack %s" % frames(f, args["depth"]))
        if args["durations"]:
            print_durations(f)
        if args["accuracy"] and f["kind"] in ("stall", "blocking-call",
                                              "gil-held-blocking"):
            check_accuracy(f, findings, args["accuracy"])


def print_durations(finding):
    buckets = finding["histogram"]
    total = sum(b["count"] for b in buckets)
    seen, p99_bucket = 0, None
    for b in buckets:
        seen += b["count"]
        if p99_bucket is None and seen * 100 >= total * 99:
            p99_bucket = b["lt_us"]
    p99 = finding["p99_ms"]
    ok = p99 <= finding["max_ms"] and p99 <= p99_bucket / 1000.0
    print("  durations p99_lt_us=%d p99 %s counts %s" % (
        p99_bucket, "ok" if ok else "BAD(%g)" % p99,
        "ok" if total == finding["count"] else "BAD(%d)" % total))


def print_open_stalls(path, depth):
    stalls, closed = {}, set()
    for line in open(path):
        event = json.loads(line)
        key = (event.get("tid"), event.get("iteration"))
        if event["event"] == "stall":
            closed.add(key)
        elif event["event"] == "open-stall":
            records = stalls.get(key, (0, None))[0] + 1
            stalls[key] = (records, event)
    for key, (records, event) in stalls.items():
        handler = event["handler"]
        print("open-stall call=%s cause=%s phase=%s handler=%s sampled=%s "
              "records=%s elapsed_ge_1s=%s closed=%s" % (
                  event["call"], event["cause"], event["phase"],
                  short(handler["name"]) if handler else None,
                  "yes" if event["sampled"] else "no",
                  "many" if records > 1 else "one",
                  "yes" if event["elapsed_ms"] >= 1000 else "no",
                  "yes" if key in closed else "no"))
        print("  stack %s" % frames(event, depth))
    if not stalls:
        print("no open stalls")


def print_events(path):
    counts = {}
    for line in open(path):
        event = json.loads(line)
        kind = event["event"]
        if kind == "open-stall":
            continue
        counts[kind] = counts.get(kind, 0) + 1
        if kind in ("stall", "blocking-call"):
            print("event %s call=%s" % (kind, event["call"]))
        if kind == "exit":
            print("event exit how=%s" % event["how"])
        if kind == "credentials":
            print("event credentials uid=%d gid=%d" % (event["uid"], event["gid"]))
        if kind == "start" and event.get("report_fallback"):
            print("event start report_fallback=%s" % os.path.dirname(
                event["report_fallback"]["wanted"]))
    print("events " + " ".join("%s=%d" % kv for kv in sorted(counts.items())))


def main():
    argv = sys.argv[1:]
    args = {"accuracy": None, "depth": 3, "events": False, "dropped": False,
            "durations": False, "open_stalls": False, "loop_slots": False,
            "severity": False, "placement": False}
    positional = []
    i = 0
    while i < len(argv):
        if argv[i] == "--accuracy":
            args["accuracy"] = float(argv[i + 1])
            i += 1
        elif argv[i] == "--stack-depth":
            args["depth"] = int(argv[i + 1])
            i += 1
        elif argv[i] == "--events":
            args["events"] = True
        elif argv[i] == "--open-stalls":
            args["open_stalls"] = True
        elif argv[i] == "--loop-slots":
            args["loop_slots"] = True
        elif argv[i] == "--dropped":
            args["dropped"] = True
        elif argv[i] == "--durations":
            args["durations"] = True
        elif argv[i] == "--severity":
            args["severity"] = True
        elif argv[i] == "--placement":
            args["placement"] = True
        else:
            positional.append(argv[i])
        i += 1
    directory = positional[0]
    if args["events"] or args["open_stalls"]:
        streams = glob.glob(os.path.join(directory, "*.events.ndjson"))
        for path in sorted(streams, key=os.path.getmtime):
            if args["open_stalls"]:
                print_open_stalls(path, args["depth"])
            else:
                print_events(path)
        if not streams:
            print("no event streams")
        return
    reports = [p for p in glob.glob(os.path.join(directory, "*.json"))]
    reports.sort(key=lambda p: json.load(open(p))["process"]["pid"])
    if not reports:
        print("no reports")
    for path in reports:
        print_report(path, args)


if __name__ == "__main__":
    main()
