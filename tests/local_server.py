"""A real HTTP/1.1 server on 127.0.0.1 for the client tests: routes answer from Python.

A route gets the request (method, path with query, headers, body) and returns a `Reply`: a
status, headers and a body given whole, or as chunks sent with chunked transfer encoding
(so a body can be larger than memory and arrive while the client reads it), optionally
cut off before its end. Loopback only; it stops itself after `WATCHDOG_SECONDS` even if a
test hangs. Not a conftest on purpose: the tests import it by name.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

WATCHDOG_SECONDS = 60.0


@dataclass
class Request:
    method: str
    path: str  # with the query
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def route(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers.items() if key.lower() == name.lower()), None)


@dataclass
class Reply:
    """One answer. `chunks` (an iterable of bytes) goes out with chunked transfer encoding;
    `cut` drops the connection after the chunks, before the closing empty chunk."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    chunks: Iterable[bytes] | None = None
    cut: bool = False
    drop: bool = False  # close the connection without any response
    until_close: bool = False  # `chunks` without chunked encoding: the body ends when the connection does


Route = Callable[[Request], Reply]


class LocalServer:
    def __init__(self, route: Route) -> None:
        self.route = route
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                body = self._read_body()
                request = Request(self.command, self.path, dict(self.headers), body, time.monotonic())
                with server._lock:
                    server.requests.append(request)
                reply = server.route(request)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.chunks is None:
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                if reply.until_close:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in reply.chunks:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                    self.close_connection = True
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for chunk in reply.chunks:
                        if chunk:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                            self.wfile.flush()
                    if reply.cut:
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client stopped reading

            def _read_body(self) -> bytes:
                if self.headers.get("transfer-encoding", "").lower() == "chunked":
                    parts = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                        if size == 0:
                            self.rfile.readline()
                            return b"".join(parts)
                        parts.append(self.rfile.read(size))
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("content-length", "0")))

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def __getattr__(self, name: str) -> Any:
                # Any other method (OpenAPI 3.2's QUERY, an `additionalOperations` one) goes to the route too.
                if name.startswith("do_") and name[3:].isupper():
                    return self._handle
                raise AttributeError(name)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.watchdog = threading.Timer(WATCHDOG_SECONDS, self.stop)
        self.watchdog.daemon = True

    def __enter__(self) -> LocalServer:
        self.thread.start()
        self.watchdog.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.watchdog.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()


def json_reply(payload: bytes | str, status: int = 200, **headers: str) -> Reply:
    body = payload.encode() if isinstance(payload, str) else payload
    return Reply(status, {"Content-Type": "application/json", **headers}, body)
