import time


def throttle():
    time.sleep(0.2)


def log_sync(message):
    time.sleep(0.1)
