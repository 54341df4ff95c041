import time

import fastio


async def endpoint():
    time.sleep(0.1)
    return fastio.slow_read()
