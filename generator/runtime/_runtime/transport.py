"""The clients' transport: build each request, send it, retry it by the policy, map failures to errors.

`SyncAPIClient` and `AsyncAPIClient` (the bases of `Client` and `AsyncClient`) share
everything in `BaseClient` and differ only in their send loop: `httpx.Client` and
`time.sleep` against `httpx.AsyncClient` and `asyncio.sleep` (and what they hand back for
pagination: a first page, or an awaitable paginator). A streamed call (`stream=True`, or an
event stream) leaves the success body unread, so retries stop at its first byte; a raw body
that cannot be sent again (an iterator already started) is not retried. Requests and
responses are logged at DEBUG, retries at INFO, credentials redacted.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, Self, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from ..errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    RequestValidationError,
    SDKError,
    status_error_class,
)
from .bodies import EncodedBody, RawStream
from .checks import Issue
from .config import NOT_GIVEN, NotGiven, PackageConfig, Timeout, as_timeout
from .credentials import Secret, redact_headers, redact_url, resolve_base_url
from .pagination import AsyncPaginator, Pagination, SyncPage
from .parameters import query_pair, query_string
from .parsing import validate_as
from .responses import APIResponse, ParseOptions, ResponseSpec, json_or_text
from .retries import backoff, retry_after, retryable_error, retryable_status

T = TypeVar("T")


@dataclass(slots=True)
class RequestSpec(Generic[T]):
    """One call, checked and laid out, before credentials and transport options."""

    method: str
    path: str
    responses: ResponseSpec[T]
    query: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    cookies: list[tuple[str, str]]
    content: EncodedBody | None
    security: tuple[str, ...]
    needs_credential: bool
    retry_unprocessed_only: bool
    idempotency_key: bool
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, str] | None


def _replayable(spec: RequestSpec[Any]) -> bool:
    """Whether the body can be sent again (an iterator that started cannot)."""
    return spec.content is None or not isinstance(spec.content.data, RawStream) or spec.content.data.replayable


class BaseClient:
    """Everything the sync and async clients share: configuration, requests, retries, errors."""

    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    strict_responses: bool
    _asynchronous = False

    def __init__(
        self,
        config: PackageConfig,
        *,
        base_url: str,
        api_key: Secret | None,
        timeout: Timeout,
        max_retries: int,
        headers: Mapping[str, str] | None,
        strict_responses: bool = False,
    ) -> None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an integer >= 0, not {max_retries!r}")
        self._config = config
        self._log = config.logger
        self.base_url = base_url
        self._api_key = api_key
        self.timeout = as_timeout(timeout)
        self._timeout_dict = self.timeout.as_dict()
        self.max_retries = max_retries
        self._headers = dict(headers or {})
        self._owns_http_client = False
        self.strict_responses = strict_responses
        self._parse_options = ParseOptions(strict=strict_responses, logger=self._log, asynchronous=self._asynchronous)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, max_retries={self.max_retries})"

    def with_options(
        self,
        *,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        strict_responses: bool | None = None,
    ) -> Self:
        """A copy with other defaults that shares this client's connection pool.

        Closing the copy leaves the pool open; closing the original closes it for both.
        """
        clone = copy.copy(self)
        clone._owns_http_client = False
        if base_url is not None:
            clone.base_url = resolve_base_url(self._config, base_url, {})
        if not isinstance(timeout, NotGiven):
            clone.timeout = as_timeout(timeout)
            clone._timeout_dict = clone.timeout.as_dict()
        if max_retries is not None:
            if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
                raise ValueError(f"max_retries must be an integer >= 0, not {max_retries!r}")
            clone.max_retries = max_retries
        if headers is not None:
            clone._headers = {**self._headers, **headers}
        if strict_responses is not None:
            clone.strict_responses = strict_responses
            clone._parse_options = replace(self._parse_options, strict=strict_responses)
        return clone

    # -- requests

    def _build_request(
        self, http_client: httpx.Client | httpx.AsyncClient, spec: RequestSpec[Any], timeout: Timeout | NotGiven
    ) -> httpx.Request:
        config = self._config
        headers: dict[str, str] = {"Accept": spec.responses.accept, "User-Agent": config.user_agent}
        query = list(spec.query)
        cookies = list(spec.cookies)
        if spec.content is not None:
            headers["Content-Type"] = spec.content.content_type
        if spec.security:
            if self._api_key is None:
                if spec.needs_credential:
                    raise SDKError(
                        f"{config.name}: {spec.method} {spec.path} needs an API key: "
                        f"pass api_key= or set {config.api_key_env}"
                    )
            else:
                key = self._api_key.get()
                for scheme_key in spec.security:
                    scheme = config.schemes[scheme_key]
                    value = key
                    if scheme.kind == "http":
                        if scheme.http_scheme == "basic":
                            value = "Basic " + base64.b64encode(key.encode("utf-8")).decode("ascii")
                        else:
                            value = "Bearer " + key
                    if scheme.location == "query":
                        query.append(query_pair(scheme.name, value))
                    elif scheme.location == "cookie":
                        cookies.append((scheme.name, value))
                    else:
                        headers[scheme.name] = value
        headers.update(self._headers)
        headers.update(spec.headers)
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies)
        if spec.idempotency_key:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        if spec.extra_headers:
            headers.update(spec.extra_headers)
        if spec.extra_query:
            query.extend(query_pair(name, value) for name, value in spec.extra_query.items())
        # A parsed URL and a ready timeout extension spare httpx a second parse and a Timeout per call.
        extensions = {"timeout": self._timeout_dict if isinstance(timeout, NotGiven) else as_timeout(timeout).as_dict()}
        data = None if spec.content is None else spec.content.data
        if isinstance(data, RawStream) and data.needs_async and not isinstance(http_client, httpx.AsyncClient):
            raise RequestValidationError([Issue("", "type", "an async iterator body needs the AsyncClient")])
        request = http_client.build_request(
            spec.method,
            httpx.URL(self._url(spec.path, query)),
            headers=headers,
            content=data if isinstance(data, bytes) else None,
            extensions=extensions,
        )
        if isinstance(data, RawStream):  # read while it is sent, by either flavour
            request.stream = data
            length = data.length
            if length is None:
                request.headers["Transfer-Encoding"] = "chunked"
            else:
                request.headers["Content-Length"] = str(length)
        return request

    def _url(self, path: str, query: list[tuple[str, str]]) -> str:
        """The request's URL. The query is percent-encoded already (`parameters.collect`), so httpx
        takes it as it is; a next page's path may carry a query of its own, which it extends."""
        if not query:
            return self.base_url + path
        return self.base_url + path + ("&" if "?" in path else "?") + query_string(query)

    # -- retries

    def _delay_after_error(
        self,
        spec: RequestSpec[Any],
        request: httpx.Request,
        error: httpx.TransportError,
        retries_taken: int,
        allowed: int,
    ) -> float | None:
        if (
            retries_taken >= allowed
            or not retryable_error(error, unprocessed_only=spec.retry_unprocessed_only)
            or not _replayable(spec)
        ):
            return None
        delay = backoff(retries_taken)
        self._log.info(
            "%s %s failed (%s); retry %d of %d in %.2f s",
            request.method,
            self._redact_url(request.url),
            type(error).__name__,
            retries_taken + 1,
            allowed,
            delay,
        )
        return delay

    def _delay_after_response(
        self, spec: RequestSpec[Any], response: httpx.Response, retries_taken: int, allowed: int
    ) -> float | None:
        status = response.status_code
        if (
            retries_taken >= allowed
            or not retryable_status(status, unprocessed_only=spec.retry_unprocessed_only)
            or not _replayable(spec)
        ):
            return None
        asked = retry_after(response.headers)
        delay = backoff(retries_taken) if asked is None else asked
        self._log.info(
            "%s %s answered %d; retry %d of %d in %.2f s",
            response.request.method,
            self._redact_url(response.request.url),
            status,
            retries_taken + 1,
            allowed,
            delay,
        )
        return delay

    # -- outcomes

    def _finish(self, spec: RequestSpec[T], response: httpx.Response, retries_taken: int) -> APIResponse[T]:
        if response.is_success:
            return APIResponse(response, spec.responses, retries_taken, self._parse_options)
        raise self._status_error(spec, response)

    def _status_error(self, spec: RequestSpec[Any], response: httpx.Response) -> APIStatusError:
        body = json_or_text(response)
        target = spec.responses.error_target(response.status_code)
        error: BaseModel | None = None
        if target is not None and target != "json" and not isinstance(body, str):
            try:
                parsed = validate_as(target, body)
            except ValidationError:
                parsed = None
            error = parsed if isinstance(parsed, BaseModel) else None
        detail = getattr(error, "message", None) if error is not None else None
        if not isinstance(detail, str) or not detail:
            detail = response.text[:200] if isinstance(body, str) else json.dumps(body, ensure_ascii=False)[:200]
        request = response.request
        message = (
            f"{response.status_code} {response.reason_phrase} from {request.method} {self._redact_url(request.url)}"
        )
        if detail:
            message += f": {detail}"
        return status_error_class(response.status_code)(message, response=response, body=body, error=error)

    def _connection_error(self, request: httpx.Request, error: httpx.TransportError) -> APIConnectionError:
        where = f"{request.method} {self._redact_url(request.url)}"
        if isinstance(error, httpx.TimeoutException):
            return APITimeoutError(f"{where} timed out ({type(error).__name__})", request=request)
        return APIConnectionError(f"{where} failed: {type(error).__name__}: {error}", request=request)

    # -- logging (secrets redacted)

    def _redact_url(self, url: httpx.URL) -> str:
        return redact_url(url, self._config.secret_query)

    def _redact_headers(self, headers: httpx.Headers) -> dict[str, str]:
        return redact_headers(headers, self._config.secret_headers)

    def _log_request(self, request: httpx.Request, retries_taken: int) -> None:
        if self._log.isEnabledFor(logging.DEBUG):
            self._log.debug(
                "request %s %s (attempt %d) headers=%s",
                request.method,
                self._redact_url(request.url),
                retries_taken + 1,
                self._redact_headers(request.headers),
            )

    def _log_response(self, response: httpx.Response) -> None:
        if self._log.isEnabledFor(logging.DEBUG):
            self._log.debug(
                "response %d %s %s headers=%s",
                response.status_code,
                response.request.method,
                self._redact_url(response.request.url),
                self._redact_headers(response.headers),
            )


class SyncAPIClient(BaseClient):
    """The blocking transport: an `httpx.Client`, `time.sleep` between retries."""

    _http_client: httpx.Client

    def __init__(
        self,
        config: PackageConfig,
        *,
        base_url: str,
        api_key: Secret | None,
        timeout: Timeout,
        max_retries: int,
        headers: Mapping[str, str] | None,
        http_client: httpx.Client | None,
        strict_responses: bool = False,
    ) -> None:
        super().__init__(
            config,
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            headers=headers,
            strict_responses=strict_responses,
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(f"http_client must be an httpx.Client, not {type(http_client).__name__}")
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx.Client(timeout=self.timeout, follow_redirects=True)

    def close(self) -> None:
        """Close the connection pool (an `http_client` you passed in stays yours to close)."""
        if self._owns_http_client:
            self._http_client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(
        self,
        spec: RequestSpec[T],
        *,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
        stream: bool = False,
    ) -> APIResponse[T]:
        """Send one logical call: build it once, retry it by the policy, return the response.

        With `stream` (or for an event stream) the success body is left unread: it is read
        while the caller consumes it, and retries happen only before its first byte.
        """
        allowed = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        stream = stream or spec.responses.streams
        request = self._build_request(self._http_client, spec, timeout)
        retries_taken = 0
        while True:
            self._log_request(request, retries_taken)
            try:
                response = self._http_client.send(request, stream=stream)
            except httpx.TransportError as error:
                delay = self._delay_after_error(spec, request, error, retries_taken, allowed)
                if delay is None:
                    raise self._connection_error(request, error) from error
            else:
                self._log_response(response)
                delay = self._delay_after_response(spec, response, retries_taken, allowed)
                if delay is None:
                    if stream and not response.is_success:
                        self._read_error_body(response)
                    return self._finish(spec, response, retries_taken)
                if stream:
                    response.close()
            retries_taken += 1
            time.sleep(delay)

    def _paginate(
        self,
        spec: RequestSpec[Any],
        pagination: Pagination[T],
        *,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
    ) -> SyncPage[T]:
        """The first page of a paginated call; the others are fetched as it is iterated."""
        options: dict[str, Any] = {"timeout": timeout, "max_retries": max_retries}
        return SyncPage(self, spec, pagination, self._send(spec, **options), options)

    def _read_error_body(self, response: httpx.Response) -> None:
        """An error status of a streamed call: its (small) body read for the error, then closed."""
        try:
            response.read()
        except httpx.TransportError as error:
            raise self._connection_error(response.request, error) from error
        finally:
            response.close()


class AsyncAPIClient(BaseClient):
    """The asyncio transport: an `httpx.AsyncClient`, `asyncio.sleep` between retries."""

    _http_client: httpx.AsyncClient
    _asynchronous = True

    def __init__(
        self,
        config: PackageConfig,
        *,
        base_url: str,
        api_key: Secret | None,
        timeout: Timeout,
        max_retries: int,
        headers: Mapping[str, str] | None,
        http_client: httpx.AsyncClient | None,
        strict_responses: bool = False,
    ) -> None:
        super().__init__(
            config,
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            headers=headers,
            strict_responses=strict_responses,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(f"http_client must be an httpx.AsyncClient, not {type(http_client).__name__}")
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx.AsyncClient(timeout=self.timeout, follow_redirects=True)

    async def aclose(self) -> None:
        """Close the connection pool (an `http_client` you passed in stays yours to close)."""
        if self._owns_http_client:
            await self._http_client.aclose()

    async def close(self) -> None:
        """The same as `aclose()`."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _send(
        self,
        spec: RequestSpec[T],
        *,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
        stream: bool = False,
    ) -> APIResponse[T]:
        """`SyncAPIClient._send`, awaiting the send and the sleep: keep the two loops in step."""
        allowed = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        stream = stream or spec.responses.streams
        request = self._build_request(self._http_client, spec, timeout)
        retries_taken = 0
        while True:
            self._log_request(request, retries_taken)
            try:
                response = await self._http_client.send(request, stream=stream)
            except httpx.TransportError as error:
                delay = self._delay_after_error(spec, request, error, retries_taken, allowed)
                if delay is None:
                    raise self._connection_error(request, error) from error
            else:
                self._log_response(response)
                delay = self._delay_after_response(spec, response, retries_taken, allowed)
                if delay is None:
                    if stream and not response.is_success:
                        await self._read_error_body(response)
                    return self._finish(spec, response, retries_taken)
                if stream:
                    await response.aclose()
            retries_taken += 1
            await asyncio.sleep(delay)

    def _paginate(
        self,
        spec: RequestSpec[Any],
        pagination: Pagination[T],
        *,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
    ) -> AsyncPaginator[T]:
        """Awaitable (the first page) and async-iterable (every item): nothing is sent before either."""
        return AsyncPaginator(self, spec, pagination, timeout=timeout, max_retries=max_retries)

    async def _read_error_body(self, response: httpx.Response) -> None:
        """`SyncAPIClient._read_error_body`, awaited."""
        try:
            await response.aread()
        except httpx.TransportError as error:
            raise self._connection_error(response.request, error) from error
        finally:
            await response.aclose()
