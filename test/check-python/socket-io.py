# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import asyncio
import socket


async def blocking_socket(host):
    sock = socket.create_connection((host, 80))
    # CHECK: socket-io.py:[[@LINE-1]]:12: warning: 'socket.create_connection' waits on a socket synchronously on the event-loop thread in coroutine 'blocking_socket' [stallhound-socket-io]
    sock.sendall(b"ping")
    sock.recv(4)
    # CHECK: socket-io.py:[[@LINE-2]]:5: warning: 'socket.socket.sendall' waits
    # CHECK-NEXT: note: 'blocking_socket' also calls 'socket.socket.recv' here


async def plain_socket(address):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(address)
    # CHECK: socket-io.py:[[@LINE-1]]:5: warning: 'socket.socket.connect' waits


# Negative: asyncio streams and the loop's socket methods.
async def streams(host):
    reader, writer = await asyncio.open_connection(host, 80)
    writer.write(b"ping")
    await writer.drain()
    await reader.read(4)


async def loop_sockets(sock):
    loop = asyncio.get_running_loop()
    await loop.sock_sendall(sock, b"x")
    await loop.sock_recv(sock, 1)
