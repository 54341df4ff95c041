"""An asyncio loop created by the main thread and run by another one: the
main thread creates the loop's epoll fd but never waits on it. Its own work
afterwards (a 0.5 s sleep, 0.3 s of CPU) is not a loop's."""
import asyncio
import threading
import time


async def tick():
    for _ in range(20):
        await asyncio.sleep(0.01)


loop = asyncio.new_event_loop()
runner = threading.Thread(target=loop.run_forever)
runner.start()
ticks = asyncio.run_coroutine_threadsafe(tick(), loop)
time.sleep(0.5)
deadline = time.perf_counter() + 0.3
while time.perf_counter() < deadline:
    pass
ticks.result()
loop.call_soon_threadsafe(loop.stop)
runner.join()
loop.close()
