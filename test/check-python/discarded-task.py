# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import asyncio


async def notify(user):
    await asyncio.sleep(0)


async def forgets_to_await(user):
    notify(user)
    # CHECK: discarded-task.py:[[@LINE-1]]:5: warning: the coroutine 'notify' returns is never awaited, so it never runs in coroutine 'forgets_to_await' [stallhound-discarded-task]
    # CHECK-NEXT: note: fix: await it, or start it with asyncio.create_task
    asyncio.sleep(1)
    # CHECK: discarded-task.py:[[@LINE-1]]:5: warning: the coroutine 'asyncio.sleep' returns is never awaited


def sync_caller(user):
    notify(user)
    # CHECK: discarded-task.py:[[@LINE-1]]:5: warning: the coroutine 'notify' returns is never awaited, so it never runs in 'sync_caller'


# Negative: awaited, started as a task, handed to the loop, kept.
async def awaits(user):
    await notify(user)
    task = asyncio.create_task(notify(user))
    await asyncio.gather(notify(user), notify(user))
    pending = notify(user)
    await pending
    await task


def run_sync(function):
    def wrapper(*args):
        return asyncio.run(function(*args))

    return wrapper


@run_sync
async def command(user):
    await notify(user)


def main():
    asyncio.run(awaits("x"))
    command("x")  # the decorator made it a plain function
