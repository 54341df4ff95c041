# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import asyncio
import time


async def huge_constant():
    total = 0
    for i in range(10**8):
        # CHECK: cpu-loop.py:[[@LINE-1]]:5: warning: loop without an await may keep the event-loop thread busy (it runs 10**8 times) in coroutine 'huge_constant' [stallhound-cpu-loop]
        total += i
    return total


async def count_from_request(n: int):
    return sum_to(n)
    # CHECK: cpu-loop.py:[[@LINE-1]]:12: warning: loop without an await may keep the event-loop thread busy (bound 'n' depends on a parameter) in coroutine 'count_from_request' through 'sum_to'


def sum_to(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


async def pairs(left, right):
    matches = 0
    for a in left:
        # CHECK: cpu-loop.py:[[@LINE-1]]:5: warning: {{.*}}(nested loops over 'left' and 'right', which depend on parameters)
        for b in right:
            matches += a == b
            for c in range(len(right)):
                matches += c
    return matches


async def busy_wait(deadline):
    spins = 0
    while time.monotonic() < deadline:
        # CHECK: cpu-loop.py:[[@LINE-1]]:5: warning: {{.*}}(it runs while 'time.monotonic() < deadline' holds, and nothing in the loop changes that)
        spins += 1


async def spins_forever(state):
    while True:
        # CHECK: cpu-loop.py:[[@LINE-1]]:5: warning: {{.*}}(the loop condition is always true and nothing leaves the loop)
        state.tick()


# Negative: loops that await, one pass over a request's items, loops that
# exit, small constant bounds, loops whose condition the body changes.
async def awaits_each_step(n):
    for i in range(n):
        await asyncio.sleep(0)
    while True:
        await asyncio.sleep(1)


async def one_pass(items):
    return [item for item in items if item]


async def one_pass_loop(items):
    out = []
    for item in items:
        out.append(item * 2)
    return out


async def exits(queue):
    while True:
        item = queue.pop()
        if item is None:
            break


async def small(n):
    for i in range(1000):
        n += i
    return n


async def walks(node):
    while node is not None:
        node = node.next


async def small_default(parts: int = 1):
    return [i for i in range(parts)] + [part(i) for i in range(parts)]


def part(i, parts=3):
    out = []
    for k in range(parts):
        out.append(k * i)
    return out
