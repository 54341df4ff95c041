"""An asyncio TCP server whose handler blocks the loop with time.sleep; it
serves three connections from itself, then exits."""
import asyncio
import time


async def handle_slow(reader, writer):
    await reader.read(16)
    time.sleep(0.3)
    writer.write(b"done\n")
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(handle_slow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    for _ in range(3):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"go\n")
        await reader.read()
        writer.close()
    server.close()


asyncio.run(main())
