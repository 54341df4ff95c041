"""An asyncio loop whose coroutine handler computes for 0.3 s without any
system call (S2)."""
import asyncio
import time


async def cpu_handler():
    total = 0
    end = time.monotonic() + 0.3
    while time.monotonic() < end:
        total += 1
    return total


async def main():
    for tick in range(20):
        await asyncio.sleep(0.005)
        if tick == 5:
            await cpu_handler()


asyncio.run(main())
