"""An asyncio server's endpoints calling a blocking broker client (the shape
of Celery's .delay() from an async def).

MODE "loop": enqueue_root publishes through the client on the loop thread,
10 times, each a fast blocking connect/send/recv; its first call imports a
module of the stdlib (files opened and read on the loop). report_root
publishes from another line: its calls are its own. MODE "offloaded": the
same calls run in a worker thread (run_in_executor): nothing on the loop.
MODE "broker" is the broker the others start: it prints its port.
"""
import asyncio
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from broker.client import Client  # noqa: E402


def serve_broker(listener):
    """Answers each line with +OK, for one connection."""
    conn, _ = listener.accept()
    with conn:
        buffered = b""
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buffered += data
            while b"\n" in buffered:
                _, buffered = buffered.split(b"\n", 1)
                conn.sendall(b"+OK\n")


def start_broker():
    """In a process of its own, not probed: a broker thread would take the
    GIL the loop's calls are read under."""
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    broker = subprocess.Popen([sys.executable, __file__, "broker"], env=env,
                              stdout=subprocess.PIPE)
    return int(broker.stdout.readline())


async def enqueue_root(client):
    import wave  # noqa: F401  (a lazy import, as .delay()'s first call does)

    return client.publish("task add 2 2")


async def report_root(client):
    return client.publish("task report")


async def main(mode):
    port = start_broker()
    client = Client(port)
    loop = asyncio.get_running_loop()
    for _ in range(10):
        await asyncio.sleep(0.01)
        if mode == "loop":  # a task per request, as a server runs them
            await asyncio.create_task(enqueue_root(client))
            await asyncio.create_task(report_root(client))
        else:
            await loop.run_in_executor(None, client.publish, "task add 2 2")
    print("broker port", port)


if sys.argv[1] == "broker":
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    print(listener.getsockname()[1], flush=True)
    sys.stdout.close()
    serve_broker(listener)
else:
    asyncio.run(main(sys.argv[1]))
