from fastapi import BackgroundTasks, FastAPI

import shop
from shop import quote
from . import util as u
from .services import pricing
from .services.pricing import Catalog as Cat

app = FastAPI()
catalog = Cat("/tmp/shop.db")


@app.get("/quote/{item}")
async def get_quote(item: str):
    return quote(item)


@app.get("/quote2/{item}")
async def get_quote_qualified(item: str):
    return shop.quote(item)


@app.get("/price/{item}")
async def get_price(item: str):
    u.throttle()
    return catalog.lookup(item)


@app.get("/module/{item}")
async def through_module_attribute(item: str):
    return pricing.quote(item)


@app.post("/log")
async def log(message: str, tasks: BackgroundTasks):
    tasks.add_task(u.log_sync, message)  # runs in a worker thread
    return {}


@app.get("/sync/{item}")
def sync_quote(item: str):
    return quote(item)  # a plain def endpoint runs in a worker thread
