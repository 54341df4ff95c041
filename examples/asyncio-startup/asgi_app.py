"""A minimal ASGI app whose module compiles its routes for about 300 ms when
imported: uvicorn imports it inside its loop's first step (on uvloop, before
the loop first waits), so that work is the loop's startup (scenario S11).

    python3 -m uvicorn asgi_app:app [--loop uvloop]
"""
import time


def compile_routes(seconds):
    routes = {}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:  # runs while uvicorn imports us
        routes[len(routes) % 1000] = len(routes)
    return routes


ROUTES = compile_routes(0.3)


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ready\n"})
