# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import asyncio
import os
import subprocess


async def runs_a_program():
    subprocess.run(["git", "status"], check=True)
    # CHECK: process-wait.py:[[@LINE-1]]:5: warning: 'subprocess.run' waits for a child process on the event-loop thread in coroutine 'runs_a_program' [stallhound-process-wait]
    # CHECK-NEXT: note: fix: await asyncio.create_subprocess_exec
    os.system("true")
    # CHECK: process-wait.py:[[@LINE-1]]:5: warning: 'os.system' waits


async def waits_for_popen():
    child = subprocess.Popen(["sleep", "1"])
    child.wait()
    # CHECK: process-wait.py:[[@LINE-1]]:5: warning: 'subprocess.Popen.wait' waits


# Negative: asyncio's subprocesses.
async def async_subprocess():
    child = await asyncio.create_subprocess_exec("true")
    await child.wait()
