import requests


def fetch():
    return requests.get("http://backend.internal/").json()
