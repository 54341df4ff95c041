# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""The ASGI app of the server benchmarks, served by uvicorn:

  /       async hello-world (the overhead benchmark's request)
  /stall  async endpoint that blocks the loop with time.sleep(STALL_S), 0.15 s
          by default (the soak test's stall)
"""
import os
import time

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

STALL_S = float(os.environ.get("HELLO_APP_STALL_S", "0.15"))
app = FastAPI()


@app.get("/", response_class=PlainTextResponse)
async def hello():
    return "hello"


@app.get("/stall", response_class=PlainTextResponse)
async def stall():
    time.sleep(STALL_S)
    return "stalled"
