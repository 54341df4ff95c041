# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Checks LICENSE and the SPDX identifier of every source file of the tool
(not of test inputs and examples, whose line numbers tests depend on)."""
import os
import subprocess
import sys

root = sys.argv[1]
license_text = open(os.path.join(root, "LICENSE"), encoding="utf-8").read()
ok = "Apache License" in license_text and "LLVM Exceptions" in license_text
print("LICENSE: %s" % ("Apache License v2.0 with LLVM Exceptions" if ok else "unexpected text"))
SPDX = "SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception"
dirs = ("analyzer/", "runtime-probe/", "report/", "cli/", "common/", "fuzz/", "bench/", "scripts/")
listed = subprocess.run(["git", "-C", root, "ls-files"], capture_output=True, text=True)
files = listed.stdout.split() if listed.returncode == 0 else [
    os.path.relpath(os.path.join(d, f), root)
    for top in dirs for d, _, fs in os.walk(os.path.join(root, top)) for f in fs]
missing = []
for f in files:
    if not f.startswith(dirs) or not f.endswith((".cpp", ".h", ".c", ".py", ".sh", ".js")):
        continue
    with open(os.path.join(root, f), encoding="utf-8", errors="replace") as source:
        head = source.read(600)
    if SPDX not in head:
        missing.append(f)
for f in missing:
    print("missing SPDX identifier: " + f)
print("sources without an SPDX identifier: %d" % len(missing))
