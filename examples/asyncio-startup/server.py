"""An asyncio line server (standard library only) that does its startup work
in the loop's first step, before it serves (scenario S11): asyncio.run(main())
runs main() up to its first await before the loop first waits.

usage: server.py PORT_FILE [STARTUP]

STARTUP "cpu" (the default): main() builds a route table for about 300 ms of
pure-Python work; "import": main() imports plugins.py, which builds its index
for about 300 ms at import time; "none": main() listens at once. Then it
serves on 127.0.0.1 (each connection gets one line back), writes its port to
PORT_FILE and stops on SIGINT or SIGTERM.
"""
import asyncio
import importlib
import os
import signal
import sys
import time

STARTUP_SECONDS = 0.3


def build_route_table(seconds):
    routes = {}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:  # no await: the loop cannot run
        routes[len(routes) % 1000] = len(routes)
    return routes


async def handle_client(reader, writer):
    writer.write(b"ready\n")
    await writer.drain()
    writer.close()


async def main(port_file, startup):
    if startup == "cpu":
        build_route_table(STARTUP_SECONDS)
    elif startup == "import":
        importlib.import_module("plugins")
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    server = await asyncio.start_server(handle_client, "127.0.0.1", 0)
    with open(port_file + ".tmp", "w") as out:
        out.write(str(server.sockets[0].getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    async with server:
        await stopping.wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "cpu"))
