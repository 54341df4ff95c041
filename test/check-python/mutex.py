# RUN: %expect-exit 1 %stallhound check %s --fail-on remark | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import asyncio
import threading

counter_lock = threading.Lock()


class Stats:
    def __init__(self):
        self._lock = threading.RLock()
        self.count = 0

    async def record(self):
        with self._lock:
            # CHECK: mutex.py:[[@LINE-1]]:14: remark: 'threading.RLock' may block the event-loop thread while another thread holds the lock in coroutine 'Stats.record' [stallhound-mutex]
            # CHECK-NEXT: mutex.py:[[@LINE+3]]:14: note: 'Stats.record' also calls 'threading.RLock' here
            # CHECK-NEXT: note: fix: keep critical sections short
            self.count += 1
        with self._lock:
            self.count -= 1


async def bump():
    counter_lock.acquire()
    # CHECK: mutex.py:[[@LINE-1]]:5: remark: 'threading.Lock.acquire' may block
    counter_lock.release()


# Negative: asyncio's lock suspends instead of blocking.
async def coroutine_lock(lock: asyncio.Lock):
    async with lock:
        pass
