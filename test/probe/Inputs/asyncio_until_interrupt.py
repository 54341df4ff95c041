"""An asyncio loop that blocks once (time.sleep(0.3) in a coroutine), then
ticks until SIGINT; prints a line when KeyboardInterrupt ends it."""
import asyncio
import time


async def main():
    tick = 0
    while True:
        await asyncio.sleep(0.005)
        tick += 1
        if tick == 5:
            time.sleep(0.3)


try:
    asyncio.run(main())
except KeyboardInterrupt:
    print("KeyboardInterrupt: leaving the loop", flush=True)
