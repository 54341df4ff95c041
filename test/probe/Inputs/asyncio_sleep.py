"""An asyncio loop. MODE "blocking": a coroutine handler calls time.sleep(0.3)
once (S1). MODE "offloaded": the same sleep runs in the default thread pool
with run_in_executor, the correct pattern (S4): the loop stays free."""
import asyncio
import sys
import time


async def blocking_handler():
    time.sleep(0.3)


async def offloaded_handler():
    await asyncio.get_running_loop().run_in_executor(None, time.sleep, 0.3)


async def main(mode):
    for tick in range(20):
        await asyncio.sleep(0.005)
        if tick == 5:
            if mode == "blocking":
                await blocking_handler()
            else:
                await offloaded_handler()


asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "blocking"))
