# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import asyncio
import time
import time as t
from time import sleep
from time import sleep as nap


async def sleeps_directly():
    time.sleep(1)
    # CHECK: sleep.py:[[@LINE-1]]:5: warning: 'time.sleep' puts the event-loop thread to sleep in coroutine 'sleeps_directly' [stallhound-sleep]
    # CHECK-NEXT: sleep.py:[[@LINE-2]]:5: note: fix: await asyncio.sleep(...)


async def sleeps_through_aliases():
    t.sleep(1)
    # CHECK: sleep.py:[[@LINE-1]]:5: warning: 'time.sleep' puts
    sleep(1)
    # CHECK: sleep.py:[[@LINE-1]]:5: warning: 'time.sleep' puts
    nap(1)
    # CHECK: sleep.py:[[@LINE-1]]:5: warning: 'time.sleep' puts
    pause = time.sleep
    pause(1)
    # CHECK: sleep.py:[[@LINE-1]]:5: warning: 'time.sleep' puts


def helper():
    time.sleep(0.5)


async def sleeps_through_a_helper():
    helper()
    # CHECK: sleep.py:[[@LINE-1]]:5: warning: 'time.sleep' puts the event-loop thread to sleep in coroutine 'sleeps_through_a_helper' through 'helper' [stallhound-sleep]
    # CHECK-NEXT: sleep.py:[[@LINE-2]]:5: note: 'sleeps_through_a_helper' calls 'helper'
    # CHECK-NEXT: sleep.py:28:5: note: 'helper' calls 'time.sleep' here


class Worker:
    async def run(self):
        self.pause()
        # CHECK: sleep.py:[[@LINE-1]]:9: warning: 'time.sleep' puts the event-loop thread to sleep in coroutine 'Worker.run' through 'Worker.pause'

    def pause(self):
        time.sleep(1)


# Negative: the right way to wait, and sleeps outside the loop.
async def awaits_a_timer():
    await asyncio.sleep(1)


def plain_function_nobody_awaits():
    time.sleep(1)


async def offloads_the_sleep():
    await asyncio.to_thread(time.sleep, 1)
    await asyncio.get_running_loop().run_in_executor(None, lambda: time.sleep(1))


async def shadows_the_name(time):
    time.sleep(1)  # a parameter, not the module


async def offloads_to_starlettes_pool():
    from starlette.concurrency import run_in_threadpool

    await run_in_threadpool(time.sleep, 1)
    await run_in_threadpool(helper)
