"""The Celery side of the example: one task, a Redis broker."""
import os

from celery import Celery

celery = Celery("tasks", broker=os.environ.get("CELERY_BROKER_URL",
                                                "redis://127.0.0.1:6379/0"))


@celery.task
def add(x, y):
    return x + y
