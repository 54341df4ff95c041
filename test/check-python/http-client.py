# RUN: %expect-exit 1 %stallhound check %s | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
import http.client
import urllib.request

import httpx
import requests
from requests import Session


async def module_functions(url):
    requests.get(url)
    # CHECK: http-client.py:[[@LINE-1]]:5: warning: 'requests.get' makes a synchronous HTTP request on the event-loop thread in coroutine 'module_functions' [stallhound-http-client]
    # CHECK-NEXT: note: fix: use an async client
    httpx.post(url, json={})
    # CHECK: http-client.py:[[@LINE-1]]:5: warning: 'httpx.post' makes
    urllib.request.urlopen(url).read()
    # CHECK: http-client.py:[[@LINE-1]]:5: warning: 'urllib.request.urlopen' makes


async def client_objects(url):
    with httpx.Client() as client:
        client.get(url)
        # CHECK: http-client.py:[[@LINE-1]]:9: warning: 'httpx.Client.get' makes
    session = Session()
    session.post(url)
    # CHECK: http-client.py:[[@LINE-1]]:5: warning: 'requests.Session.post' makes


class Backend:
    def __init__(self, host):
        self.connection = http.client.HTTPConnection(host)
        self.session = requests.Session()

    def fetch(self):
        self.connection.request("GET", "/")
        return self.connection.getresponse().read()

    async def handle(self):
        self.session.get("http://x")
        # CHECK: http-client.py:[[@LINE-1]]:9: warning: 'requests.Session.get' makes {{.*}} in coroutine 'Backend.handle'
        return self.fetch()
        # CHECK: http-client.py:[[@LINE-1]]:16: warning: 'http.client.HTTPConnection.request' makes {{.*}} in coroutine 'Backend.handle' through 'Backend.fetch'
        # CHECK: note: 'Backend.fetch' also calls 'http.client.HTTPConnection.getresponse' here


# Negative: async clients, and a sync client in a plain def (a worker thread).
async def async_clients(url):
    async with httpx.AsyncClient() as client:
        await client.get(url)
    client = httpx.AsyncClient()
    await client.post(url)


def sync_endpoint(url):
    return requests.get(url).json()
