"""Streamed responses on their own, on httpx.MockTransport: the body is read when asked, a
broken body becomes `APIConnectionError`, and the context manager closes the response."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from generator.runtime._runtime.config import NOT_GIVEN, PackageConfig
from generator.runtime._runtime.responses import BYTES, TEXT, ResponseSpec
from generator.runtime._runtime.streaming import (
    AsyncStreamedResponseContext,
    StreamedResponseContext,
    broken,
)
from generator.runtime._runtime.transport import AsyncAPIClient, RequestSpec, SyncAPIClient
from generator.runtime.errors import APIConnectionError, APITimeoutError

CONFIG = PackageConfig("shop", "shop/1", "SHOP_API_KEY", "SHOP_BASE_URL", None, {}, frozenset(), frozenset())


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body arriving in chunks, optionally breaking after them."""

    def __init__(self, chunks: list[bytes], *, breaks: bool = False) -> None:
        self.chunks = chunks
        self.breaks = breaks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.breaks:
            raise httpx.ReadError("peer closed")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.breaks:
            raise httpx.ReadError("peer closed")

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def spec(target: Any = BYTES) -> RequestSpec[Any]:
    return RequestSpec(
        method="GET",
        path="/file",
        responses=ResponseSpec(success={200: target}, fallback=None),
        query=[],
        headers=[],
        cookies=[],
        content=None,
        security=(),
        needs_credential=False,
        retry_unprocessed_only=False,
        idempotency_key=False,
        extra_headers=None,
        extra_query=None,
    )


def clients(stream: Chunks) -> tuple[SyncAPIClient, AsyncAPIClient]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=stream, headers={"content-type": "text/plain"})

    transport = httpx.MockTransport(handler)
    options: dict[str, Any] = {"base_url": "https://shop.test", "api_key": None, "timeout": 5.0, "max_retries": 0}
    return (
        SyncAPIClient(CONFIG, headers=None, http_client=httpx.Client(transport=transport), **options),
        AsyncAPIClient(CONFIG, headers=None, http_client=httpx.AsyncClient(transport=transport), **options),
    )


def test_sync_iter_read_parse_and_close() -> None:
    stream = Chunks([b"one\n", b"two\r\nthree"])
    client, _ = clients(stream)
    with StreamedResponseContext(client, spec(TEXT), timeout=NOT_GIVEN, max_retries=NOT_GIVEN) as response:
        assert not stream.closed
        assert list(response.iter_lines()) == ["one", "two", "three"]
        assert response.status_code == 200 and response.headers["content-type"] == "text/plain"
        assert response.request.url.path == "/file" and response.retries_taken == 0
    assert stream.closed
    with StreamedResponseContext(client, spec(TEXT), timeout=NOT_GIVEN, max_retries=NOT_GIVEN) as response:
        assert response.parse() == "one\ntwo\r\nthree"
        assert response.read() == b"one\ntwo\r\nthree"
        assert list(response.iter_text()) == ["one\ntwo\r\nthree"]  # read already: the whole text


def test_async_iter_read_parse_and_close() -> None:
    stream = Chunks([b"ab", b"cd"])
    _, client = clients(stream)

    async def main() -> None:
        context = AsyncStreamedResponseContext(client, spec(), timeout=NOT_GIVEN, max_retries=NOT_GIVEN)
        async with context as response:
            assert [chunk async for chunk in response.aiter_bytes()] == [b"ab", b"cd"]
        assert stream.closed
        async with AsyncStreamedResponseContext(client, spec(), timeout=NOT_GIVEN, max_retries=NOT_GIVEN) as response:
            assert await response.parse() == b"abcd" and await response.read() == b"abcd"
        async with AsyncStreamedResponseContext(
            client, spec(TEXT), timeout=NOT_GIVEN, max_retries=NOT_GIVEN
        ) as response:
            assert [line async for line in response.aiter_lines()] == ["abcd"]
        async with AsyncStreamedResponseContext(
            client, spec(TEXT), timeout=NOT_GIVEN, max_retries=NOT_GIVEN
        ) as response:
            assert "".join([text async for text in response.aiter_text()]) == "abcd"

    asyncio.run(main())


def test_a_body_that_breaks_is_a_connection_error() -> None:
    client, async_client = clients(Chunks([b"ab"], breaks=True))
    with (
        pytest.raises(APIConnectionError, match="GET /file broke while the body was read: ReadError"),
        StreamedResponseContext(client, spec(), timeout=NOT_GIVEN, max_retries=NOT_GIVEN) as response,
    ):
        list(response.iter_bytes())

    async def main() -> None:
        async with AsyncStreamedResponseContext(
            async_client, spec(), timeout=NOT_GIVEN, max_retries=NOT_GIVEN
        ) as response:
            await response.read()

    with pytest.raises(APIConnectionError, match="broke while the body was read"):
        asyncio.run(main())


def test_a_read_timeout_is_a_timeout_error() -> None:
    request = httpx.Request("GET", "https://shop.test/file")
    error = broken(request, httpx.ReadTimeout("slow"))
    assert isinstance(error, APITimeoutError) and "timed out while the body was read" in str(error)
    assert error.request is request
