"""A module that does its work at import time: it builds its index for about
300 ms of pure-Python work (server.py imports it from main() with STARTUP
"import")."""
import time


def _build_index(seconds):
    index = {}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        index[len(index) % 1000] = len(index)
    return index


INDEX = _build_index(0.3)
