# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import sqlite3

import redis
from celery import Celery
from fastapi import Depends
from sqlalchemy import create_engine, inspect
from sqlalchemy.orm import Session

broker = Celery("tasks", broker="redis://127.0.0.1:6379/0")
cache = redis.Redis()


@broker.task
def enqueue_root(n):
    return n * n


async def query(path):
    connection = sqlite3.connect(path)
    # CHECK: database.py:[[@LINE-1]]:18: warning: 'sqlite3.connect' waits for a database or broker synchronously on the event-loop thread in coroutine 'query' [stallhound-database]
    rows = connection.execute("select 1").fetchall()
    # CHECK: database.py:[[@LINE-1]]:12: warning: 'sqlite3.Cursor.fetchall' waits
    # CHECK-NEXT: database.py:[[@LINE-2]]:12: note: 'query' also calls 'sqlite3.Connection.execute' here
    return rows


async def cached(key):
    return cache.get(key)
    # CHECK: database.py:[[@LINE-1]]:12: warning: 'redis.Redis.get' waits


async def schedules(n):
    enqueue_root.delay(n)
    # CHECK: database.py:[[@LINE-1]]:5: warning: 'celery.Task.delay' waits {{.*}} in coroutine 'schedules'


engine = create_engine("postgresql://db/app")


async def middleware(request, call_next):
    if "tenant" not in inspect(engine).get_schema_names():
        # CHECK: database.py:[[@LINE-1]]:24: warning: 'sqlalchemy.engine.Inspector.get_schema_names' waits
        return None
    return await call_next(request)


def get_db():
    yield Session()


async def read_user(user_id: int, db: Session = Depends(get_db)):
    return db.query(User).filter(User.id == user_id).first()
    # CHECK: database.py:[[@LINE-1]]:12: warning: 'sqlalchemy.orm.Query.first' waits {{.*}} in coroutine 'read_user'


class User:
    id = 0


def read_user_in_a_thread(user_id: int, db: Session = Depends(get_db)):
    return db.query(User).filter(User.id == user_id).first()


# Negative: the async redis client, and a celery task body (a worker).
async def async_cache(key):
    import redis.asyncio as aioredis

    client = aioredis.Redis()
    return await client.get(key)


def worker_side(n):
    return cache.get(n)
