#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""stallhound check beside the linters Python teams use for async code, on
the project's own Python test corpus (test/check-python): Ruff's ASYNC and
RUF006 rules (Ruff as WebAssembly, @astral-sh/ruff-wasm-nodejs) and
pyright's reportUnusedCoroutine.

usage: bench/python-peers.py [--stallhound BIN] [--tools DIR]

The unit is a handler: every `async def` (not a generator) of the corpus.
Its label comes from the hand-written expectations of the lit tests: a
handler is blocking when a CHECK line expects a warning, remark or error at
one of its lines, clean when none does (the tests' "Negative:" sections). A tool flags a
handler when it reports anything inside the handler's lines (stallhound:
a finding whose handler it is). Prints, per tool, the blocking handlers it
found (recall) and the clean handlers it flagged (false positives), then
the handlers only stallhound finds, with why (a chain through another
function or module, a method, a loop).

Not in the corpus: the tests of configuration and suppressions, whose
blocking code is silenced on purpose. The npm packages (bench/peers/package.json) are installed into
build/bench-peers on first use. Handlers are enumerated with the newest
CPython on the machine (pyenv's 3.13 parses the 3.12 syntax of the corpus).
"""
import argparse
import ast
import glob
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "test", "check-python")

RUFF_SCRIPT = r"""
const {Workspace} = require(process.argv[1]);
const fs = require('fs');
const ws = new Workspace({lint: {select: ['ASYNC', 'RUF006'], preview: true}}, 'UTF16');
const out = {};
for (const path of process.argv.slice(2)) {
  out[path] = ws.check(fs.readFileSync(path, 'utf8')).map(
      d => ({code: d.code, row: d.start_location.row, message: d.message}));
}
console.log(JSON.stringify(out));
"""

ENUMERATE = r"""
import ast, json, sys
out = {}
for path in sys.argv[1:]:
    try:
        tree = ast.parse(open(path, encoding='utf-8').read(), path)
    except SyntaxError:
        continue
    handlers = []
    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                qual = prefix + child.name
                if isinstance(child, ast.AsyncFunctionDef) and not any(
                        isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(child)):
                    handlers.append([qual, child.lineno, child.end_lineno])
                walk(child, qual + '.<locals>.')
            elif isinstance(child, ast.ClassDef):
                walk(child, prefix + child.name + '.')
            else:
                walk(child, prefix)
    walk(tree, '')
    out[path] = handlers
print(json.dumps(out))
"""


def newest_python():
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[3-9]*/bin/python3")))
    return candidates[-1] if candidates else sys.executable


def install_tools(tools):
    wanted = os.path.join(ROOT, "bench", "peers", "package.json")
    have = os.path.join(tools, "package.json")
    if not os.path.exists(os.path.join(tools, "node_modules", ".bin", "pyright")) or \
            open(wanted).read() != (open(have).read() if os.path.exists(have) else ""):
        os.makedirs(tools, exist_ok=True)
        shutil.copy(wanted, have)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=tools, check=True)


def labels(handlers):
    """The handlers (path, qual) the tests expect a finding in: a CHECK line
    (any FileCheck prefix) that reports a warning, remark or error at a line
    inside the handler."""
    by_name = {}
    for path in handlers:
        by_name.setdefault(os.path.basename(path), []).append(path)
    pattern = re.compile(r"(?:([\w-]+)(?:\{\{[^}]*\}\}|/))?([\w.-]+\.py):"
                         r"(\[\[@LINE([+-]\d+)\]\]|\d+):\d+: (?:warning|remark|error):")
    blocking = set()
    tests = glob.glob(os.path.join(CORPUS, "*.py")) + glob.glob(os.path.join(CORPUS, "*.test"))
    for test in tests:
        for number, line in enumerate(open(test, encoding="utf-8"), 1):
            for m in pattern.finditer(line):
                directory, name, where, offset = m.groups()
                candidates = [test] if os.path.basename(test) == name else by_name.get(name, [])
                if directory:
                    candidates = [c for c in candidates if ("/%s/" % directory) in c]
                if len(candidates) != 1:
                    continue
                row = number + int(offset) if offset else int(where)
                for qual, first, last in handlers.get(candidates[0], []):
                    if first <= row <= last:
                        blocking.add((candidates[0], qual))
    return blocking


def flagged_by_lines(handlers, reports):
    """Handlers (file, qual) inside whose lines a tool reported something."""
    out = set()
    for path, rows in reports.items():
        for qual, first, last in handlers.get(path, []):
            if any(first <= row <= last for row in rows):
                out.add((path, qual))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stallhound", default=os.path.join(ROOT, "build", "bin", "stallhound"))
    parser.add_argument("--tools", default=os.path.join(ROOT, "build", "bench-peers"))
    args = parser.parse_args()
    install_tools(args.tools)

    # Not in the corpus: a file that does not parse, and the tests of
    # configuration and suppressions (blocking code silenced on purpose).
    files = sorted(p for p in glob.glob(os.path.join(CORPUS, "**", "*.py"), recursive=True)
                   if not any(part in p for part in ("/broken/", "/configured/", "suppressions.py")))
    python = newest_python()
    handlers = json.loads(subprocess.run([python, "-c", ENUMERATE] + files, check=True,
                                         capture_output=True, text=True).stdout)
    universe = {(p, h[0]) for p, hs in handlers.items() for h in hs}
    truth = labels(handlers) & universe
    clean = universe - truth

    # stallhound: every file in one run, so that chains cross modules.
    run = subprocess.run([args.stallhound, "check", "--format", "json", "--fail-on", "error"]
                         + [p for p in files if "/extension/" not in p] + [os.path.join(CORPUS, "Inputs", "extension", "app.py")],
                         capture_output=True, text=True)
    findings = json.loads(run.stdout)["findings"]
    ours = {(f["handler"]["file"], f["handler"]["name"]) for f in findings}

    ruff = json.loads(subprocess.run(
        ["node", "-e", RUFF_SCRIPT, os.path.join(args.tools, "node_modules", "@astral-sh", "ruff-wasm-nodejs")] + files,
        check=True, capture_output=True, text=True).stdout)
    ruff_rows = {p: [d["row"] for d in ds] for p, ds in ruff.items()}
    ruff_flagged = flagged_by_lines(handlers, ruff_rows)

    pyright_run = subprocess.run(
        [os.path.join(args.tools, "node_modules", ".bin", "pyright"), "--outputjson"] + files,
        capture_output=True, text=True)
    pyright_rows = {}
    for d in json.loads(pyright_run.stdout).get("generalDiagnostics", []):
        if d.get("rule") == "reportUnusedCoroutine":
            pyright_rows.setdefault(d["file"], []).append(d["range"]["start"]["line"] + 1)
    pyright_flagged = flagged_by_lines(handlers, pyright_rows)

    print("corpus: %d files, %d handlers (%d blocking, %d clean by the tests' labels)"
          % (len(files), len(universe), len(truth), len(clean)))
    print("%-34s %18s %16s" % ("tool", "blocking found", "clean flagged"))
    for name, found in [("stallhound check", ours),
                        ("Ruff 0.17.3 ASYNC + RUF006", ruff_flagged),
                        ("pyright reportUnusedCoroutine", pyright_flagged)]:
        hits = len(found & truth)
        print("%-34s %11d / %-4d %9d / %-4d" % (name, hits, len(truth), len(found & clean), len(clean)))
    both_peers = ruff_flagged | pyright_flagged
    only_ours = sorted((ours & truth) - both_peers)
    print("\nblocking handlers only stallhound finds (%d):" % len(only_ours))
    for file, qual in only_ours:
        why = next((f["message"] for f in findings
                    if f["handler"]["file"] == file and f["handler"]["name"] == qual), "")
        print("  %s %s: %s" % (os.path.relpath(file, CORPUS), qual, why[:100]))
    missed = sorted(truth - ours)
    if missed:
        print("\nblocking handlers stallhound misses (%d):" % len(missed))
        for file, qual in missed:
            print("  %s %s" % (os.path.relpath(file, CORPUS), qual))
    for name, found in [("stallhound", ours), ("Ruff", ruff_flagged), ("pyright", pyright_flagged)]:
        wrong = sorted(found & clean)
        if wrong:
            print("\nclean handlers %s flags (%d):" % (name, len(wrong)))
            for file, qual in wrong:
                print("  %s %s" % (os.path.relpath(file, CORPUS), qual))


if __name__ == "__main__":
    main()
