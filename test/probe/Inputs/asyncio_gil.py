"""An asyncio loop that ticks every 5 ms while something else happens.

MODE "cpu-worker": a worker thread runs pure-Python code for 0.5 s: the loop
waits for the GIL it holds (S5). MODE "sleep-worker": the worker sleeps
instead, releasing the GIL: no contention. MODE "ext-holding" and
"ext-releasing": a coroutine calls the slowext C extension (on PYTHONPATH),
which sleeps 300 ms holding or releasing the GIL (S9).
"""
import asyncio
import sys
import threading
import time


def spin_in_worker():
    deadline = time.perf_counter() + 0.5
    total = 0
    while time.perf_counter() < deadline:
        total += 1


def sleep_in_worker():
    time.sleep(0.5)


async def call_extension(holding):
    import slowext

    if holding:
        slowext.sleep_holding_gil(300)
    else:
        slowext.sleep_releasing_gil(300)


async def main(mode):
    worker = None
    for tick in range(150):
        await asyncio.sleep(0.005)
        if tick != 5:
            continue
        if mode in ("cpu-worker", "sleep-worker", "cpu-endpoint"):
            target = {"cpu-worker": spin_in_worker,
                      "sleep-worker": sleep_in_worker,
                      "cpu-endpoint": sync_endpoint_that_gets_blocked}[mode]
            worker = threading.Thread(target=target)
            worker.start()
        else:
            await call_extension(mode == "ext-holding")
    return worker


# MODE "cpu-endpoint": the work of cpu-worker in a helper, bind_cpu, that a
# def endpoint calls, as a framework's thread pool runs it.
def bind_cpu(seconds):
    deadline = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < deadline:
        total += 1
    return total


def sync_endpoint_that_gets_blocked():
    return bind_cpu(0.5)


worker = asyncio.run(main(sys.argv[1]))
if worker:
    worker.join()
