"""The generated clients against a real HTTP server on 127.0.0.1: retries, Retry-After,
timeouts and dropped connections over actual sockets, sync and async.

The server answers from a script, is bound to loopback only, and shuts itself down after
30 s even if a test hangs (each test also stops it when done).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from client_support import EVENT_ID, FLAVOURS, SESSION_JSON, zuddl, zuddl_call

WATCHDOG_SECONDS = 30.0
pytestmark = pytest.mark.parametrize("flavour", FLAVOURS)


@dataclass
class Step:
    """One scripted answer: a response, a dropped connection, or a stall before responding."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    drop: bool = False
    stall: float = 0.0


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class ScriptedServer:
    def __init__(self, *script: Step) -> None:
        self.script = list(script)
        self.hits: list[Hit] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                with server._lock:
                    server.hits.append(Hit(self.command, self.path, dict(self.headers), body, time.monotonic()))
                    step = server.script.pop(0) if len(server.script) > 1 else server.script[0]
                if step.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if step.stall and server.stopping.wait(step.stall):
                    return
                payload = b"" if step.body is None else json.dumps(step.body).encode()
                self.send_response(step.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in step.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.watchdog = threading.Timer(WATCHDOG_SECONDS, self.stop)
        self.watchdog.daemon = True

    def start(self) -> ScriptedServer:
        self.thread.start()
        self.watchdog.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.watchdog.cancel()


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Start a scripted server (loopback only); backoff shortened so tests stay quick."""
    monkeypatch.setattr(zuddl._runtime.retries, "INITIAL_RETRY_DELAY", 0.01)
    monkeypatch.delenv("ZUDDL_BASE_URL", raising=False)
    servers: list[ScriptedServer] = []

    def start(*script: Step) -> ScriptedServer:
        server = ScriptedServer(*script).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_retry_on_5xx_then_success(flavour: str, serve: Any) -> None:
    server = serve(Step(500, body={"message": "down"}), Step(502), Step(201, body=SESSION_JSON))
    response = zuddl_call(flavour, raw=True, client_options={"base_url": server.url})
    assert response.status_code == 201
    assert isinstance(response.parse(), zuddl.models.Session)
    assert len(server.hits) == 3
    assert all(hit.path == f"/v1/events/{EVENT_ID}/sessions" for hit in server.hits)
    assert len({hit.headers["Idempotency-Key"] for hit in server.hits}) == 1
    assert {hit.body for hit in server.hits} == {server.hits[0].body}


def test_retry_after_is_honoured(flavour: str, serve: Any) -> None:
    server = serve(Step(429, headers={"Retry-After": "1"}), Step(200, body=SESSION_JSON))
    started = time.monotonic()
    zuddl_call(flavour, client_options={"base_url": server.url})
    assert len(server.hits) == 2
    assert server.hits[1].at - server.hits[0].at >= 0.95
    assert time.monotonic() - started < 5


def test_dropped_connection_is_retried(flavour: str, serve: Any) -> None:
    server = serve(Step(drop=True), Step(200, body=SESSION_JSON))
    session = zuddl_call(flavour, client_options={"base_url": server.url})
    assert isinstance(session, zuddl.models.Session)
    assert len(server.hits) == 2


def test_dropped_connections_run_out(flavour: str, serve: Any) -> None:
    server = serve(Step(drop=True))
    with pytest.raises(zuddl.APIConnectionError) as caught:
        zuddl_call(flavour, client_options={"base_url": server.url, "max_retries": 1})
    assert not isinstance(caught.value, zuddl.APITimeoutError)
    assert len(server.hits) == 2


def test_read_timeout(flavour: str, serve: Any) -> None:
    server = serve(Step(200, body=SESSION_JSON, stall=2.0))
    started = time.monotonic()
    with pytest.raises(zuddl.APITimeoutError):
        zuddl_call(flavour, client_options={"base_url": server.url, "timeout": 0.2, "max_retries": 1})
    assert len(server.hits) == 2
    assert time.monotonic() - started < 1.5


def test_timeout_then_success_with_per_call_timeout(flavour: str, serve: Any) -> None:
    server = serve(Step(200, body=SESSION_JSON, stall=1.0), Step(200, body=SESSION_JSON))
    session = zuddl_call(flavour, client_options={"base_url": server.url}, timeout=0.2)
    assert isinstance(session, zuddl.models.Session)
    assert len(server.hits) == 2


def test_connection_refused(flavour: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zuddl._runtime.retries, "INITIAL_RETRY_DELAY", 0.01)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(zuddl.APIConnectionError) as caught:
        zuddl_call(flavour, client_options={"base_url": f"http://127.0.0.1:{port}"})
    assert "ConnectError" in str(caught.value)
