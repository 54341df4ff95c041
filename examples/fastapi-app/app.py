"""A FastAPI service with one endpoint per Python stall scenario.

Served by uvicorn; examples/fastapi-app/drive.py runs it under the probe and
sends each request once. Every slow path takes about 300 ms and measures how
long it really blocked (GET /measured), so that a report can be checked
against the truth even on a loaded machine.
"""
import contextlib
import time

from fastapi import BackgroundTasks, Depends, FastAPI

import service

STALL_SECONDS = 0.3
MEASURED_MS = {}

app = FastAPI()


@contextlib.contextmanager
def measured(name):
    started = time.perf_counter()
    try:
        yield
    finally:
        MEASURED_MS[name] = (time.perf_counter() - started) * 1000


@app.get("/measured")
async def measured_durations():
    return MEASURED_MS


@app.get("/ping")
async def ping():
    return {"pong": True}


@app.get("/s1/sleep")
async def sleep_in_async_endpoint():
    with measured("sleep_in_async_endpoint"):
        time.sleep(STALL_SECONDS)  # blocks the loop: use await asyncio.sleep
    return {"slept": STALL_SECONDS}


@app.get("/s2/cpu")
async def compute_in_async_endpoint():
    total = 0
    with measured("compute_in_async_endpoint"):
        deadline = time.perf_counter() + STALL_SECONDS
        while time.perf_counter() < deadline:  # no await: the loop is stuck
            total += 1
    return {"iterations": total}


@app.get("/s3/pong")
async def fetch_pong_in_async_endpoint():
    with measured("fetch_pong_in_async_endpoint"):
        pong = service.get_pong()  # a synchronous HTTP client
    return {"backend": pong}


@app.get("/s4/sync-sleep")
def sleep_in_worker_thread():
    time.sleep(1)  # a plain def runs in a worker thread: the loop stays free
    return {"slept": 1}


@app.get("/s5/sync-cpu")
def compute_in_worker_thread():
    total = 0
    deadline = time.perf_counter() + 1.0
    while time.perf_counter() < deadline:  # holds the GIL the loop needs
        total += 1
    return {"iterations": total}


async def write_audit_log():
    with measured("write_audit_log"):
        time.sleep(STALL_SECONDS)  # runs on the loop after the response


@app.get("/s8/background")
async def schedule_audit_log(tasks: BackgroundTasks):
    tasks.add_task(write_audit_log)
    return {"scheduled": True}


@app.get("/s9/native")
async def call_extension_holding_gil():
    import slowext

    with measured("call_extension_holding_gil"):
        slowext.sleep_holding_gil(int(STALL_SECONDS * 1000))
    return {"slept": STALL_SECONDS}


@app.on_event("startup")
async def warm_cache():
    with measured("warm_cache"):
        time.sleep(STALL_SECONDS)  # startup work on the loop: labeled startup


@app.on_event("shutdown")
async def flush_metrics():
    time.sleep(STALL_SECONDS)  # shutdown work on the loop: labeled shutdown


# S6: def endpoints run in anyio's worker threads, at most WORKER_THREADS at
# once (40 by default): more requests than that at once queue for a thread.
# Each call measures how long it waited for one (GET /s6/queue-waits).
WORKER_THREADS = 5
QUEUE_WAITS_MS = []


@app.on_event("startup")
async def limit_worker_threads():
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS


async def arrival_time():
    return time.perf_counter()  # on the loop, before the endpoint's thread


@app.get("/s6/sync-slow")
def sync_endpoint_in_small_pool(arrived: float = Depends(arrival_time)):
    QUEUE_WAITS_MS.append((time.perf_counter() - arrived) * 1000)
    time.sleep(1)  # fine in a thread, but 50 at once wait for 5 threads
    return {"slept": 1}


@app.get("/s6/queue-waits")
async def queue_waits():
    return QUEUE_WAITS_MS


# S2 through helpers, as real code has it: the endpoint calls a helper that
# calls the one where the time goes. The endpoint is the handler; the
# innermost helper is where the time went. ?ms= shortens the stall.
@app.get("/s2/helpers")
async def summarize_in_async_endpoint(ms: int = int(STALL_SECONDS * 1000)):
    with measured("summarize_in_async_endpoint"):
        total = build_summary(ms / 1000)
    return {"iterations": total}


def build_summary(seconds):
    return count_until(time.perf_counter() + seconds)


def count_until(deadline):
    total = 0
    while time.perf_counter() < deadline:  # no await: the loop is stuck
        total += 1
    return total
