import asyncio
import time

import vendor.sdk
from vendor import sdk


async def handler(blob):
    time.sleep(0.1)
    vendor.sdk.fetch_all()
    client = sdk.connect("token")
    client.upload(blob)
    for i in range(5000):
        blob += b"x"


async def register(loop: asyncio.AbstractEventLoop):
    loop.call_soon(on_ready)


def on_ready():
    time.sleep(1)
