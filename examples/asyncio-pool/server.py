"""An asyncio HTTP server (standard library only) that runs blocking work in
a thread pool of five workers.

usage: server.py PORT_FILE [WORK_SECONDS]

GET /report runs build_report (blocking for WORK_SECONDS, default 1) with
loop.run_in_executor on a ThreadPoolExecutor(max_workers=5); GET /export runs
export_rows the same way through asyncio.to_thread, on the loop's default
executor, also limited to five workers. Six or more such requests at once
queue for a worker (scenario S6): their responses are late by whole rounds of
work while the loop itself stays free. Each work item measures how long it
waited for a worker (GET /queue-waits: a JSON list of milliseconds), so that
a report can be checked against the truth. GET /ping answers at once.
It serves on 127.0.0.1, writes its port to PORT_FILE and stops on SIGINT or
SIGTERM.
"""
import asyncio
import concurrent.futures
import json
import os
import signal
import sys
import time

WORKERS = 5
POOL = concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS)
WORK_SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
QUEUE_WAITS_MS = []


def build_report(submitted):
    QUEUE_WAITS_MS.append((time.monotonic() - submitted) * 1000)
    time.sleep(WORK_SECONDS)  # blocking, in a worker: fine while one is free
    return b"report"


def export_rows(submitted):
    QUEUE_WAITS_MS.append((time.monotonic() - submitted) * 1000)
    time.sleep(WORK_SECONDS)
    return b"rows"


async def respond(path):
    loop = asyncio.get_running_loop()
    if path == b"/report":
        return await loop.run_in_executor(POOL, build_report, time.monotonic())
    if path == b"/export":
        return await asyncio.to_thread(export_rows, time.monotonic())
    if path == b"/queue-waits":
        return json.dumps(QUEUE_WAITS_MS).encode()
    return b"pong"


async def handle(reader, writer):
    request = await reader.readline()
    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
        pass
    words = request.split()
    body = await respond(words[1] if len(words) > 1 else b"/")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                 b"Connection: close\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    writer.close()


def publish_port(port_file, port):
    with open(port_file + ".tmp", "w") as out:
        out.write(str(port))
    os.rename(port_file + ".tmp", port_file)


async def main(port_file):
    loop = asyncio.get_running_loop()
    loop.set_default_executor(
        concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS))
    stop = asyncio.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=128)
    port = server.sockets[0].getsockname()[1]
    await asyncio.to_thread(publish_port, port_file, port)
    async with server:
        await stop.wait()


asyncio.run(main(sys.argv[1]))
POOL.shutdown()
