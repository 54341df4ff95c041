# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Runs the shell steps of a GitHub Actions workflow (docs/ci) on a sample
project, jobs in order and each matrix entry in turn, in one workspace path
(as the runner's checkout is). The steps that are actions are done here:
checkout copies the project, upload/download-artifact copy directories,
upload-sarif validates the SARIF with the SARIF multitool. Any other action
is an error, so that the workflow cannot grow a step this does not run.

usage: run-workflow.py WORKFLOW PROJECT WORK STALLHOUND SARIF_MULTITOOL [CMAKE_DEFINE...]
"""
import itertools
import json
import os
import shutil
import subprocess
import sys

import yaml

workflow, project, work, stallhound, multitool = map(os.path.abspath, sys.argv[1:6])
cmake_defines = sys.argv[6:]
env = dict(os.environ, PATH=os.path.dirname(stallhound) + os.pathsep + os.environ["PATH"])
workspace = os.path.join(work, "workspace")
artifacts = os.path.join(work, "artifacts")
os.makedirs(artifacts, exist_ok=True)


def expand(text, matrix):
    for key, value in matrix.items():
        text = text.replace("${{ matrix.%s }}" % key, str(value))
    return text


def run_step(step, matrix):
    uses = step.get("uses", "")
    with_ = {k: expand(str(v), matrix) for k, v in step.get("with", {}).items()}
    if uses.startswith("actions/checkout@"):
        return
    if uses.startswith("actions/upload-artifact@"):
        shutil.copytree(os.path.join(workspace, with_["path"]),
                        os.path.join(artifacts, with_["name"]))
        return
    if uses.startswith("actions/download-artifact@"):
        prefix = with_["pattern"].rstrip("*")
        for name in sorted(os.listdir(artifacts)):
            if name.startswith(prefix):
                shutil.copytree(os.path.join(artifacts, name),
                                os.path.join(workspace, with_["path"], name))
        return
    if uses.startswith("github/codeql-action/upload-sarif@"):
        sarif = os.path.join(workspace, with_["sarif_file"])
        result = subprocess.run([multitool, "validate", sarif, "--output",
                                 os.path.join(work, "validation.sarif"), "--log",
                                 "ForceOverwrite"], capture_output=True, text=True)
        print("upload-sarif: " + result.stdout.strip().splitlines()[-1])
        with open(sarif) as f:
            results = json.load(f)["runs"][0]["results"]
        for r in results:
            loc = r["locations"][0]["physicalLocation"]
            print("  %s %s:%d" % (r["ruleId"], loc["artifactLocation"]["uri"],
                                   loc["region"]["startLine"]))
        return
    if uses:
        sys.exit("unsupported action in the workflow: " + uses)
    command = expand(step["run"], matrix)
    if command.startswith("cmake -S"):
        command += "".join(" " + d for d in cmake_defines)
    result = subprocess.run(["bash", "-e", "-c", command], cwd=workspace, env=env,
                            capture_output=True, text=True)
    print("step %r: exit %d" % (expand(step.get("name", command[:40]), matrix),
                                 result.returncode))
    if result.returncode != 0:
        print(result.stdout + result.stderr)
        sys.exit(1)


with open(workflow) as f:
    jobs = yaml.safe_load(f)["jobs"]
for name, job in jobs.items():
    matrix = job.get("strategy", {}).get("matrix", {})
    keys = sorted(matrix)
    for values in itertools.product(*(matrix[k] for k in keys)) if keys else [()]:
        entry = dict(zip(keys, values))
        print("job %s %s" % (name, " ".join("%s=%s" % kv for kv in entry.items())))
        shutil.rmtree(workspace, ignore_errors=True)
        shutil.copytree(project, workspace)
        for step in job["steps"]:
            run_step(step, entry)
