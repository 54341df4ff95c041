# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import asyncio
import json
import os
import shutil
from pathlib import Path


async def reads_config(path):
    with open(path) as f:
        # CHECK: file-io.py:[[@LINE-1]]:10: warning: 'open' does synchronous file I/O on the event-loop thread in coroutine 'reads_config' [stallhound-file-io]
        # CHECK-NEXT: note: fix: await asyncio.to_thread
        return json.load(f)


async def pathlib_and_shutil(directory):
    Path(directory, "a").read_text()
    # CHECK: file-io.py:[[@LINE-1]]:5: warning: 'pathlib.Path.read_text' does
    shutil.copytree(directory, directory + ".bak")
    # CHECK: file-io.py:[[@LINE-1]]:5: warning: 'shutil.copytree' does
    fd = os.open(directory, os.O_RDONLY)
    # CHECK: file-io.py:[[@LINE-1]]:10: warning: 'os.open' does


# Negative: offloaded, and a shadowing local open.
async def offloads(path):
    return await asyncio.to_thread(Path(path).read_text)


async def own_open(store, key):
    def open(name):
        return store[name]

    return open(key)
