"""A blocking broker client, as Celery's .delay() uses one: a plain socket
in blocking mode, one request and one reply line per call."""
import socket


class Client:
    def __init__(self, port):
        self.port = port
        self.sock = None

    def _connection(self):
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port))
        return self.sock

    def publish(self, message):
        sock = self._connection()
        sock.sendall(message.encode() + b"\n")
        return self._reply(sock)

    def _reply(self, sock):
        data = b""
        while not data.endswith(b"\n"):
            data += sock.recv(64)
        return data
