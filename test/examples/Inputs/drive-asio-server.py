"""Starts the example asio server on a loopback ephemeral port, sends the
given command lines with the example's own client mode, and prints every
reply. Everything is bounded: the server stops after --max-connections.

usage: drive-asio-server.py SERVER_BINARY COMMAND...
"""
import subprocess
import sys

server_bin = sys.argv[1]
commands = sys.argv[2:]
server = subprocess.Popen([server_bin, "--port", "0", "--max-connections", "1"],
                          stdout=subprocess.PIPE, text=True)
try:
    banner = server.stdout.readline().strip()
    if not banner.startswith("listening on 127.0.0.1:"):
        sys.exit("unexpected banner: %r" % banner)
    port = banner.rsplit(":", 1)[1]
    client = subprocess.run([server_bin, "--client", port] + commands,
                            capture_output=True, text=True, timeout=30)
    print(client.stdout, end="")
    print("client exit=%d" % client.returncode)
    print("server exit=%d" % server.wait(timeout=30))
finally:
    if server.poll() is None:
        server.kill()
