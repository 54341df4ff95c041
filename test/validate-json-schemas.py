#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Validates every stallhound JSON the test suites wrote against the JSON
Schemas of docs/schema (Draft 2020-12, with Debian's python3-jsonschema).

usage: validate-json-schemas.py LIT_OUTPUT_DIR SCHEMA_DIR

A file is a stallhound JSON when it names its tool, kind and version
("tool": "stallhound", "kind": "static" | "probe" | "report"); test inputs
written by hand to be wrong do not, and are not validated. Fails on any
invalid file, and when a kind has no file at all (the suites must produce
each kind, or this check would pass on nothing).
"""
import json
import os
import stat
import sys

import jsonschema

KINDS = ("static", "probe", "report")
# Inputs the tests write wrong on purpose, to see them refused.
HAND_WRITTEN = ("bad-input.test.tmp",)


def main():
    out_dir, schema_dir = sys.argv[1], sys.argv[2]
    validators = {}
    for kind in KINDS:
        with open(os.path.join(schema_dir, "%s-1.schema.json" % kind), encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[kind] = jsonschema.Draft202012Validator(schema)
    counts = dict.fromkeys(KINDS, 0)
    failures = 0
    for root, _, files in os.walk(out_dir):
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            path = os.path.join(root, name)
            if any(part in path for part in HAND_WRITTEN):
                continue
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):
                    continue  # FIFOs and devices the tests make on purpose
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
            except (OSError, ValueError, RecursionError):
                continue
            if not isinstance(doc, dict) or doc.get("tool") != "stallhound":
                continue
            kind = doc.get("kind")
            if kind not in validators:
                continue
            counts[kind] += 1
            errors = sorted(validators[kind].iter_errors(doc), key=lambda e: list(e.path))
            for error in errors[:5]:
                where = "/".join(str(p) for p in error.absolute_path)
                print("%s: /%s: %s" % (os.path.relpath(path, out_dir), where, error.message[:200]))
            failures += bool(errors)
    for kind in KINDS:
        print("%s: %d files checked" % (kind, counts[kind]))
    missing = [k for k in KINDS if counts[k] == 0]
    if missing:
        print("no %s JSON found under %s: run the lit suites first" % (", ".join(missing), out_dir))
    print("%d invalid" % failures)
    return 1 if failures or missing else 0


if __name__ == "__main__":
    sys.exit(main())
