# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Uses the project's .pre-commit-hooks.yaml as pre-commit would from its
repository: a hook repository holding it, a project that references it by
revision, `pre-commit run --all-files` on a blocking async def and then on
its fix. Prints each run's output and exit status.

usage: run-pre-commit.py SRCROOT STALLHOUND WORKDIR
"""
import os
import shutil
import subprocess
import sys

srcroot, stallhound, work = sys.argv[1:4]
env = dict(os.environ, PATH=os.path.dirname(stallhound) + os.pathsep + os.environ["PATH"],
           PRE_COMMIT_HOME=os.path.join(work, "cache"),
           GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
           GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")


def git(repo, *args):
    subprocess.run(["git", "-C", repo] + list(args), check=True, env=env,
                   stdout=subprocess.DEVNULL)


hooks = os.path.join(work, "hooks")
os.makedirs(hooks)
shutil.copy(os.path.join(srcroot, ".pre-commit-hooks.yaml"), hooks)
git(hooks, "init", "-q")
git(hooks, "add", "-A")
git(hooks, "commit", "-q", "-m", "hooks")
rev = subprocess.run(["git", "-C", hooks, "rev-parse", "HEAD"], capture_output=True,
                     text=True, check=True).stdout.strip()

project = os.path.join(work, "project")
os.makedirs(project)
git(project, "init", "-q")
with open(os.path.join(project, ".pre-commit-config.yaml"), "w") as f:
    f.write("repos:\n- repo: %s\n  rev: %s\n  hooks:\n  - id: stallhound-python\n" % (hooks, rev))
for label, body in (("blocking", "import time\n\n\nasync def handler():\n    time.sleep(1)\n"),
                    ("fixed", "import asyncio\n\n\nasync def handler():\n    await asyncio.sleep(1)\n")):
    with open(os.path.join(project, "app.py"), "w") as f:
        f.write(body)
    git(project, "add", "-A")
    run = subprocess.run(["pre-commit", "run", "--all-files"], cwd=project, env=env,
                         capture_output=True, text=True)
    print("== %s: exit %d" % (label, run.returncode))
    print(run.stdout + run.stderr)
