import time


async def legacy():
    time.sleep(1)
