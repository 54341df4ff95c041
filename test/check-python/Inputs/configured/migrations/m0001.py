import time


async def migrate():
    time.sleep(1)
