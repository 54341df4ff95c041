from app import work


async def handle():
    work()
