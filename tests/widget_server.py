"""A real HTTP server on 127.0.0.1, in a thread, that the fetch commands talk to in tests.

Each test says what a path answers (a committed sample, an error, a slow or
empty answer); the server records every request so tests can check what the
commands sent.
"""

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# The recorded answers live with the widgets app, where `load_demo` reads them too.
from widgets.demo import sample

__all__ = ["BOMB", "Answer", "SampleServer", "closed_port_url", "sample"]


class Answer:
    def __init__(self, body=b"", status=200, delay=0.0, content_type="application/octet-stream"):
        self.body, self.status, self.delay, self.content_type = body, status, delay, content_type


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server.owner
        parts = urlsplit(self.path)
        server.requests.append(
            {"path": parts.path, "query": parse_qs(parts.query), "headers": dict(self.headers)}
        )
        answers = server.routes.get(parts.path) or [Answer(b"not found", 404)]
        # A list plays out in order, its last answer repeating: "fail, then succeed".
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if answer.delay:
            time.sleep(answer.delay)
        with contextlib.suppress(OSError):  # the client may have given up waiting
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

    def log_message(self, *args):
        pass


class SampleServer:
    def __init__(self):
        self.routes = {}
        self.requests = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()

    def answer(self, path, *answers):
        self.routes[path] = list(answers)
        return self.url(path)

    def url(self, path):
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{path}"


def closed_port_url(path="/"):
    """An address on 127.0.0.1 where nothing listens: the connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><item><title>&lol4;</title></item></channel></rss>
"""
