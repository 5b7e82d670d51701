"""The clients' transport on its own: requests, the sync and async send loops, errors, logs.

Driven with hand-built `RequestSpec`s on httpx.MockTransport, both flavours, sleeps recorded
instead of slept.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import types
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from generator.runtime import errors
from generator.runtime._runtime import transport
from generator.runtime._runtime.bodies import EncodedBody
from generator.runtime._runtime.config import PackageConfig, SecurityScheme
from generator.runtime._runtime.credentials import Secret
from generator.runtime._runtime.responses import APIResponse, Model, ResponseSpec
from generator.runtime._runtime.transport import AsyncAPIClient, RequestSpec, SyncAPIClient

FLAVOURS = ["sync", "async"]
KEY = "s3cret-key"
CONFIG = PackageConfig(
    name="shop",
    user_agent="shop/1 sdkgen/0",
    api_key_env="SHOP_API_KEY",
    base_url_env="SHOP_BASE_URL",
    server_url=None,
    schemes={
        "raw": SecurityScheme("apiKey", "header", "X-Key"),
        "bearer": SecurityScheme("http", "header", "Authorization", "bearer"),
        "basic": SecurityScheme("http", "header", "Authorization", "basic"),
        "query": SecurityScheme("apiKey", "query", "token"),
        "cookie": SecurityScheme("apiKey", "cookie", "sid"),
    },
    secret_headers=frozenset({"x-key", "authorization", "cookie"}),
    secret_query=frozenset({"token"}),
)
Handler = Callable[[httpx.Request], httpx.Response]


class Item(BaseModel):
    id: int


class Problem(BaseModel):
    message: str


RESPONSES: ResponseSpec[Item] = ResponseSpec(
    success={200: Model(Item, lambda data: [])}, fallback=None, error_default=Problem
)


def request_spec(**changes: Any) -> RequestSpec[Item]:
    settings: dict[str, Any] = {
        "method": "GET",
        "path": "/items/7",
        "responses": RESPONSES,
        "query": [("page", "2")],
        "headers": [("X-Trace", "t1")],
        "cookies": [],
        "content": None,
        "security": (),
        "needs_credential": False,
        "retry_unprocessed_only": False,
        "idempotency_key": False,
        "extra_headers": None,
        "extra_query": None,
    }
    return RequestSpec(**{**settings, **changes})


class Script:
    """A MockTransport handler that plays its steps in order (a response, or an error to raise)."""

    def __init__(self, *steps: httpx.Response | Exception) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        return step


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    recorded: list[float] = []

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(transport, "time", types.SimpleNamespace(sleep=recorded.append))
    monkeypatch.setattr(transport, "asyncio", types.SimpleNamespace(sleep=async_sleep))
    yield recorded


def make_client(flavour: str, handler: Handler, **options: Any) -> SyncAPIClient | AsyncAPIClient:
    settings: dict[str, Any] = {
        "base_url": "https://shop.test/v1",
        "api_key": Secret(KEY),
        "timeout": 5.0,
        "max_retries": 2,
        "headers": None,
        **options,
    }
    mock = httpx.MockTransport(handler)
    if flavour == "sync":
        return SyncAPIClient(CONFIG, http_client=httpx.Client(transport=mock), **settings)
    return AsyncAPIClient(CONFIG, http_client=httpx.AsyncClient(transport=mock), **settings)


def send(flavour: str, handler: Handler, spec: RequestSpec[Item] | None = None, **call: Any) -> APIResponse[Item]:
    client = make_client(flavour, handler, **call.pop("client_options", {}))
    options = {"timeout": transport.NOT_GIVEN, "max_retries": transport.NOT_GIVEN, **call}
    if isinstance(client, SyncAPIClient):
        return client._send(spec or request_spec(), **options)
    return asyncio.run(client._send(spec or request_spec(), **options))


def ok(status: int = 200, **content: Any) -> httpx.Response:
    return httpx.Response(status, **(content or {"json": {"id": 7}}))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_request_shape(flavour: str) -> None:
    script = Script(ok())
    spec = request_spec(
        method="POST",
        content=EncodedBody(b'{"a":1}', "application/json"),
        cookies=[("theme", "dark")],
        extra_headers={"X-Extra": "e"},
        extra_query={"debug": "1"},
    )
    result = send(flavour, script, spec, client_options={"headers": {"X-Trace": "client", "X-Client": "c"}})
    assert result.parse() == Item(id=7) and result.retries_taken == 0
    request = script.requests[0]
    assert str(request.url) == "https://shop.test/v1/items/7?page=2&debug=1"
    assert request.content == b'{"a":1}'
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == "shop/1 sdkgen/0"
    assert request.headers["x-trace"] == "t1"  # the operation's own header wins over the client's
    assert request.headers["x-client"] == "c"
    assert request.headers["x-extra"] == "e"
    assert request.headers["cookie"] == "theme=dark"
    assert "idempotency-key" not in request.headers


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_query_goes_as_encoded_and_plain_pairs_are_encoded(flavour: str) -> None:
    """The spec's query pairs are percent-encoded already (a style's delimiters raw, `allowReserved`
    values as they are): httpx must not encode them again; extra_query and credentials are plain."""
    script = Script(ok())
    spec = request_spec(
        query=[("ids", "a%2Cb,c"), ("next", "https://x.test/a?b"), ("f%5Bx%5D", "1")],
        extra_query={"q": "a b&c"},
        security=("query",),
    )
    send(flavour, script, spec, client_options={"api_key": Secret("k+/=")})
    assert str(script.requests[0].url) == (
        "https://shop.test/v1/items/7?ids=a%2Cb,c&next=https://x.test/a?b&f%5Bx%5D=1&token=k%2B%2F%3D&q=a+b%26c"
    )
    script = Script(ok())
    send(flavour, script, request_spec(path="/items?cursor=x", query=[("limit", "2")]))
    assert str(script.requests[0].url) == "https://shop.test/v1/items?cursor=x&limit=2"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    ("scheme", "where"),
    [
        ("raw", ("header", "x-key", KEY)),
        ("bearer", ("header", "authorization", f"Bearer {KEY}")),
        ("basic", ("header", "authorization", "Basic " + base64.b64encode(KEY.encode()).decode())),
        ("query", ("query", "token", KEY)),
        ("cookie", ("header", "cookie", f"sid={KEY}")),
    ],
)
def test_credentials_go_where_the_scheme_says(flavour: str, scheme: str, where: tuple[str, str, str]) -> None:
    script = Script(ok())
    send(flavour, script, request_spec(security=(scheme,), needs_credential=True))
    request = script.requests[0]
    location, name, value = where
    assert (request.headers if location == "header" else request.url.params)[name] == value


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_missing_credential(flavour: str) -> None:
    script = Script(ok())
    with pytest.raises(errors.SDKError, match="needs an API key: pass api_key= or set SHOP_API_KEY"):
        send(flavour, script, request_spec(security=("raw",), needs_credential=True), client_options={"api_key": None})
    assert script.requests == []
    send(flavour, script, request_spec(security=("raw",)), client_options={"api_key": None})  # optional security
    assert "x-key" not in script.requests[0].headers


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_retried_then_success_with_one_idempotency_key(flavour: str, sleeps: list[float]) -> None:
    script = Script(ok(503, text="busy"), ok(429, text="slow", headers={"Retry-After": "3"}), ok())
    result = send(flavour, script, request_spec(method="POST", idempotency_key=True))
    assert result.retries_taken == 2
    assert len(script.requests) == 3 and sleeps[1] == 3.0 and 0.375 <= sleeps[0] <= 0.5
    keys = {request.headers["idempotency-key"] for request in script.requests}
    assert len(keys) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_retries_run_out_into_the_status_error(flavour: str, sleeps: list[float]) -> None:
    script = Script(ok(500, json={"message": "boom"}))
    with pytest.raises(errors.InternalServerError) as caught:
        send(flavour, script, max_retries=1)
    assert len(script.requests) == 2 and len(sleeps) == 1
    assert caught.value.error == Problem(message="boom")
    assert str(caught.value) == "500 Internal Server Error from GET https://shop.test/v1/items/7?page=2: boom"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_other_4xx_are_not_retried(flavour: str) -> None:
    script = Script(ok(404, text="no such item"))
    with pytest.raises(errors.NotFoundError) as caught:
        send(flavour, script)
    assert len(script.requests) == 1
    assert caught.value.body == "no such item" and caught.value.error is None
    assert str(caught.value).endswith(": no such item")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_operation_that_must_not_run_twice(flavour: str) -> None:
    script = Script(ok(503, text="busy"), ok())
    with pytest.raises(errors.InternalServerError):
        send(flavour, script, request_spec(retry_unprocessed_only=True))
    script = Script(httpx.ReadError("reset"), ok())
    with pytest.raises(errors.APIConnectionError):
        send(flavour, script, request_spec(retry_unprocessed_only=True))
    script = Script(httpx.ConnectError("refused"), ok(408), ok())
    assert send(flavour, script, request_spec(retry_unprocessed_only=True)).retries_taken == 2


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_connection_errors_and_timeouts(flavour: str) -> None:
    script = Script(httpx.ConnectError("refused"), httpx.ReadError("reset"), ok())
    assert send(flavour, script).retries_taken == 2
    script = Script(httpx.ReadTimeout("slow"))
    with pytest.raises(errors.APITimeoutError, match=r"GET https://shop\.test/v1/items/7\?page=2 timed out"):
        send(flavour, script)
    assert len(script.requests) == 3
    script = Script(httpx.UnsupportedProtocol("no"))
    with pytest.raises(errors.APIConnectionError) as caught:
        send(flavour, script)
    assert len(script.requests) == 1 and not isinstance(caught.value, errors.APITimeoutError)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_per_call_options(flavour: str) -> None:
    script = Script(ok(503, text="busy"))
    with pytest.raises(errors.InternalServerError):
        send(flavour, script, max_retries=0)
    assert len(script.requests) == 1
    script = Script(ok())
    send(flavour, script, timeout=1.5)
    assert script.requests[0].extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_logs_redact_credentials(flavour: str, caplog: pytest.LogCaptureFixture) -> None:
    script = Script(ok(503, text="busy"), ok())
    with caplog.at_level(logging.DEBUG, logger="shop"):
        send(flavour, script, request_spec(security=("query", "raw")))
    assert KEY not in caplog.text
    assert "token=%3Credacted%3E" in caplog.text and "'x-key': '<redacted>'" in caplog.text
    assert "answered 503; retry 1 of 2" in caplog.text


def test_options_and_ownership() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        make_client("sync", Script(ok()), max_retries=-1)
    with pytest.raises(TypeError, match=r"httpx\.Client"):
        SyncAPIClient(CONFIG, base_url="https://shop.test", api_key=None, timeout=1.0, max_retries=0, headers=None,
                      http_client=httpx.AsyncClient())  # type: ignore[arg-type]  # fmt: skip
    client = make_client("sync", Script(ok()))
    assert isinstance(client, SyncAPIClient)
    fast = client.with_options(timeout=2.0, max_retries=0, headers={"X-A": "a"}, base_url="https://eu.shop.test/")
    assert (fast.max_retries, fast.timeout.read, fast.base_url) == (0, 2.0, "https://eu.shop.test")
    assert (client.max_retries, client.timeout.read, client.base_url) == (2, 5.0, "https://shop.test/v1")
    assert fast._http_client is client._http_client
    assert repr(fast) == "SyncAPIClient(base_url='https://eu.shop.test', max_retries=0)"
    own = SyncAPIClient(CONFIG, base_url="https://shop.test", api_key=None, timeout=1.0, max_retries=0,
                        headers=None, http_client=None)  # fmt: skip
    with own.with_options(max_retries=1):
        pass
    assert not own._http_client.is_closed  # a copy never closes the pool
    with own:
        pass
    assert own._http_client.is_closed
