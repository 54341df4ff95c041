"""The Python loop of bench/accuracy.py: an asyncio loop whose coroutine calls
time.sleep(MS / 1000) for each argument, 100 ms apart. asyncio's debug mode
watches the same loop (slow_callback_duration 5 ms); prints one line per
stall: the injected ms and what asyncio logged ("debug MS")."""
import asyncio
import logging
import sys
import time

logged = []


class Capture(logging.Handler):
    def emit(self, record):
        if record.msg.startswith("Executing") and "took" in record.msg:
            logged.append(record.args[-1] * 1000)


async def main(stalls):
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    loop.slow_callback_duration = 0.005
    for ms in stalls:
        await asyncio.sleep(0.1)
        time.sleep(ms / 1000)
    await asyncio.sleep(0.1)


logging.getLogger("asyncio").addHandler(Capture())
logging.getLogger("asyncio").setLevel(logging.WARNING)
logging.getLogger("asyncio").propagate = False
asyncio.run(main([float(a) for a in sys.argv[1:]]))
for value in logged:
    print("debug %.3f" % value)
