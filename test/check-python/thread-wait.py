# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import asyncio
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

pool = ThreadPoolExecutor(4)
jobs = queue.Queue()


def crunch(n):
    return n


async def waits_for_a_future(n):
    return pool.submit(crunch, n).result()
    # CHECK: thread-wait.py:[[@LINE-1]]:12: warning: 'concurrent.futures.Future.result' waits for another thread on the event-loop thread in coroutine 'waits_for_a_future' [stallhound-thread-wait]
    # CHECK-NEXT: note: fix: await asyncio.wrap_future


async def waits_for_a_thread():
    worker = threading.Thread(target=crunch, args=(1,))
    worker.start()
    worker.join()
    # CHECK: thread-wait.py:[[@LINE-1]]:5: warning: 'threading.Thread.join' waits


async def takes_a_job():
    return jobs.get()
    # CHECK: thread-wait.py:[[@LINE-1]]:12: warning: 'queue.Queue.get' waits


# Negative: the future wrapped for the loop, an asyncio queue.
async def wraps_the_future(n):
    return await asyncio.wrap_future(pool.submit(crunch, n))


async def asyncio_queue(q: asyncio.Queue):
    return await q.get()
