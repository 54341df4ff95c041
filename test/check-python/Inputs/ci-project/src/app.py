import service


async def endpoint():
    return service.fetch()
