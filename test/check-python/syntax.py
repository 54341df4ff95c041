# RUN: %expect-exit 1 %stallhound check %s 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=error:
# Python 3.8 to 3.13 syntax parses, and handlers written with it are analyzed.
import asyncio
import time
from dataclasses import dataclass

type Pair[T] = tuple[T, T]  # 3.12: type statement, PEP 695


@dataclass
class Box[T]:  # 3.12: generic class
    item: T


def first[T](items: list[T], /, *, default: T | None = None) -> T | None:  # 3.8, 3.10, 3.12
    return items[0] if items else default


async def matches(command):
    match command:  # 3.10
        case {"action": "sleep", "seconds": seconds}:
            time.sleep(seconds)
            # CHECK: syntax.py:[[@LINE-1]]:13: warning: 'time.sleep' puts the event-loop thread to sleep in coroutine 'matches'
        case [first_word, *rest] if rest:
            return first_word
        case _:
            pass


async def newer_forms(items, path):
    if (n := len(items)) > 10:  # 3.8
        print(f"{n=}")
    label = f"{'a' + f"{n}"}"  # 3.12: nested f-string with the same quotes
    with (
        open(path) as source,  # 3.10: parenthesized context managers
        # CHECK: syntax.py:[[@LINE-1]]:9: warning: 'open' does synchronous file I/O
        open(path + ".bak", "w") as backup,
        # CHECK: syntax.py:[[@LINE-1]]:9: warning: 'open' does synchronous file I/O
    ):
        backup.write(source.read())
    try:
        await asyncio.sleep(0)
    except* ValueError:  # 3.11
        pass
    return [x async for x in aiter_of(items)], label


async def aiter_of(items):
    for item in items:
        yield item


@(lambda f: f)  # 3.9: any expression as a decorator
async def decorated():
    time.sleep(1)
    # CHECK: syntax.py:[[@LINE-1]]:5: warning: 'time.sleep' puts
