"""A synchronous client for the slow backend (scenario S3)."""
import http.client
import os


def get_pong():
    host, port = os.environ["PONG_BACKEND"].rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port))
    try:
        connection.request("GET", "/pong")
        return connection.getresponse().read().decode()
    finally:
        connection.close()
