"""Streamed responses: `client.with_streaming_response.<method>(...)`.

The method checks its arguments at once and returns a context manager; entering it sends
the request (retries only before the response's first byte) and gives the response with its
body unread: iterate it as it arrives (`iter_bytes()`, `iter_lines()`), or `read()` and
`parse()` it. Leaving the block closes the connection, read or not. The async flavour is the
same with `async with`, `aiter_*` and awaited `read()`/`parse()`. A connection that breaks
while the body is read raises `APIConnectionError` (`APITimeoutError` for a timeout).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ..errors import APIConnectionError, APITimeoutError
from .config import NotGiven, Timeout
from .responses import APIResponse

if TYPE_CHECKING:
    from .transport import AsyncAPIClient, RequestSpec, SyncAPIClient

T = TypeVar("T")


def broken(request: httpx.Request, error: httpx.TransportError) -> APIConnectionError:
    """The error for a connection that broke while a body was read."""
    where = f"{request.method} {request.url.path}"
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(f"{where} timed out while the body was read ({type(error).__name__})", request=request)
    return APIConnectionError(
        f"{where} broke while the body was read: {type(error).__name__}: {error}", request=request
    )


@contextlib.contextmanager
def reading(request: httpx.Request) -> Iterator[None]:
    """httpx's transport errors while a body is read, as this package's errors."""
    try:
        yield
    except httpx.TransportError as error:
        raise broken(request, error) from error


class _Streamed(Generic[T]):
    """What both flavours of streamed response offer besides reading."""

    def __init__(self, response: APIResponse[T]) -> None:
        self._response = response
        self.http_response = response.http_response
        self.retries_taken = response.retries_taken

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        return self.http_response.request

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.request.method} {self.request.url.path}>"


class StreamedAPIResponse(_Streamed[T]):
    """A response whose body is read as it arrives (sync)."""

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks as they arrive (decompressed), never held whole."""
        with reading(self.request):
            yield from self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        with reading(self.request):
            yield from self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        """The body's lines (text, without their line breaks) as they arrive."""
        with reading(self.request):
            yield from self.http_response.iter_lines()

    def read(self) -> bytes:
        """The whole body (read once, then kept)."""
        with reading(self.request):
            return self.http_response.read()

    def parse(self) -> T:
        """What the plain method returns (an event stream is read as it is iterated)."""
        if not self._response._responses.streams:
            self.read()
        return self._response.parse()

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedAPIResponse(_Streamed[T]):
    """A response whose body is read as it arrives (asyncio)."""

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks as they arrive (decompressed), never held whole."""
        with reading(self.request):
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk

    async def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        with reading(self.request):
            async for text in self.http_response.aiter_text(chunk_size):
                yield text

    async def aiter_lines(self) -> AsyncIterator[str]:
        """The body's lines (text, without their line breaks) as they arrive."""
        with reading(self.request):
            async for line in self.http_response.aiter_lines():
                yield line

    async def read(self) -> bytes:
        """The whole body (read once, then kept)."""
        with reading(self.request):
            return await self.http_response.aread()

    async def parse(self) -> T:
        """What the plain method returns (an event stream is read as it is iterated)."""
        if not self._response._responses.streams:
            await self.read()
        return self._response.parse()

    async def close(self) -> None:
        await self.http_response.aclose()


class StreamedResponseContext(Generic[T]):
    """`with client.with_streaming_response.<method>(...) as response:` (sync)."""

    def __init__(
        self, client: SyncAPIClient, spec: RequestSpec[T], *, timeout: Timeout | NotGiven, max_retries: int | NotGiven
    ) -> None:
        self._client = client
        self._spec = spec
        self._options: dict[str, Any] = {"timeout": timeout, "max_retries": max_retries}
        self._response: StreamedAPIResponse[T] | None = None

    def __enter__(self) -> StreamedAPIResponse[T]:
        self._response = StreamedAPIResponse(self._client._send(self._spec, stream=True, **self._options))
        return self._response

    def __exit__(self, *exc_info: object) -> None:
        if self._response is not None:
            self._response.close()


class AsyncStreamedResponseContext(Generic[T]):
    """`async with client.with_streaming_response.<method>(...) as response:` (asyncio)."""

    def __init__(
        self, client: AsyncAPIClient, spec: RequestSpec[T], *, timeout: Timeout | NotGiven, max_retries: int | NotGiven
    ) -> None:
        self._client = client
        self._spec = spec
        self._options: dict[str, Any] = {"timeout": timeout, "max_retries": max_retries}
        self._response: AsyncStreamedAPIResponse[T] | None = None

    async def __aenter__(self) -> AsyncStreamedAPIResponse[T]:
        self._response = AsyncStreamedAPIResponse(await self._client._send(self._spec, stream=True, **self._options))
        return self._response

    async def __aexit__(self, *exc_info: object) -> None:
        if self._response is not None:
            await self._response.close()
