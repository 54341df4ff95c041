# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import asyncio
import socket
from socket import getaddrinfo


async def resolves(host):
    socket.gethostbyname(host)
    # CHECK: dns.py:[[@LINE-1]]:5: warning: 'socket.gethostbyname' resolves a name synchronously on the event-loop thread in coroutine 'resolves' [stallhound-dns]
    # CHECK-NEXT: note: fix: await loop.getaddrinfo(...) instead
    getaddrinfo(host, 443)
    # CHECK: dns.py:[[@LINE-1]]:5: warning: 'socket.getaddrinfo' resolves


# Negative: the loop's resolver.
async def resolves_on_the_loop(host):
    loop = asyncio.get_running_loop()
    await loop.getaddrinfo(host, 443)
