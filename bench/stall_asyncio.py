# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""The Python loop of bench/accuracy.py: an asyncio loop whose coroutine calls
time.sleep(MS / 1000) for each argument, 100 ms apart, and prints what its
own clock saw ("self MS"). With --debug, asyncio's debug mode watches the
loop (slow_callback_duration 5 ms) and what it logged is printed too ("debug
MS"); its logging runs on the loop, inside the stalled iteration.

usage: stall_asyncio.py [--debug] MS..."""
import asyncio
import logging
import sys
import time

logged = []


class Capture(logging.Handler):
    def emit(self, record):
        if record.msg.startswith("Executing") and "took" in record.msg:
            logged.append(record.args[-1] * 1000)


async def main(stalls, debug):
    loop = asyncio.get_running_loop()
    loop.set_debug(debug)
    loop.slow_callback_duration = 0.005
    for ms in stalls:
        await asyncio.sleep(0.1)
        start = time.perf_counter()
        time.sleep(ms / 1000)
        print("self %.3f" % ((time.perf_counter() - start) * 1000))
    await asyncio.sleep(0.1)


logging.getLogger("asyncio").addHandler(Capture())
logging.getLogger("asyncio").setLevel(logging.WARNING)
logging.getLogger("asyncio").propagate = False
debug = "--debug" in sys.argv
asyncio.run(main([float(a) for a in sys.argv[1:] if a != "--debug"], debug))
for value in logged:
    print("debug %.3f" % value)
