import time


def work():
    time.sleep(1)
