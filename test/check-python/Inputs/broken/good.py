import time


async def still_analyzed():
    time.sleep(1)
