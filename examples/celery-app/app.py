"""A FastAPI app that enqueues Celery tasks (a Redis broker).

/enqueue calls .delay() from an async def: Celery publishes with a blocking
socket on the loop thread. It answers in microseconds while Redis is near and
idle, and stalls every request of the server the day Redis is slow.
/enqueue-offloaded makes the same call in a worker thread.
"""
import asyncio

from fastapi import FastAPI

from tasks import add

app = FastAPI()


@app.get("/ping")
async def ping():
    return {"ok": True}


@app.get("/enqueue")
async def enqueue_root():
    result = add.delay(2, 2)  # blocking socket I/O to the broker, on the loop
    return {"task": result.id}


@app.get("/enqueue-offloaded")
async def enqueue_in_thread():
    result = await asyncio.to_thread(add.delay, 2, 2)
    return {"task": result.id}
