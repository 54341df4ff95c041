async def fine():
    pass


def broken(:
    pass
