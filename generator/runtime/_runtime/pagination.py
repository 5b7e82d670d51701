"""Pagination (`x-sdkgen-pagination`): pages fetched lazily, items across pages.

A paginated method returns its first page: `SyncPage[T]` from `Client`; from `AsyncClient`
an `AsyncPaginator[T]`, which is both awaitable (the first `AsyncPage[T]`) and async-iterable
(every item, `async for item in client.list_todos()`). Iterating a page yields its items and
those of every following page, each fetched when the previous one is used up. The next
request is the first one with its cursor, offset or page number advanced, or the next URL
the body or the `Link` header names (only under the client's base URL: a server cannot send
the credentials elsewhere). A page is the last when the spec's signals say so: no next
cursor or URL, `hasMore` false, no items, fewer items than the page size asked for; and a
next request identical to the last one ends the walk rather than loop.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar
from urllib.parse import urljoin

import httpx

from ..errors import APIResponseValidationError, SDKError
from .config import NotGiven, Timeout
from .parameters import query_pair, query_value
from .responses import APIResponse, Model, ParseOptions, loads

if TYPE_CHECKING:
    from .transport import AsyncAPIClient, RequestSpec, SyncAPIClient

T = TypeVar("T")

Style = Literal["cursor", "offset", "page", "next-url", "link-header"]


@dataclass(frozen=True, slots=True)
class Pagination(Generic[T]):
    """One operation's `x-sdkgen-pagination`: where the items and the next page are."""

    style: Style
    items: str
    item: Model | None = None  # the model of one item; None: plain JSON values
    cursor_param: str | None = None
    next_cursor: str | None = None
    offset_param: str | None = None
    limit_param: str | None = None
    page_param: str | None = None
    next_url: str | None = None
    has_more: str | None = None


_MISSING = object()


def resolve(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or `_MISSING` when there is none."""
    if not pointer:
        return data
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict) and token in data:
            data = data[token]
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return _MISSING
    return data


_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_PARAM = re.compile(r';\s*([^=;,\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*)')


def next_link(header: str) -> str | None:
    """The target of the `rel="next"` link of a `Link` header (RFC 8288), if any."""
    for match in _LINK.finditer(header):
        for name, value in _PARAM.findall(match.group(2)):
            if name.lower() == "rel" and "next" in value.strip('"').lower().split():
                return match.group(1)
    return None


@dataclass(slots=True)
class _Read:
    """What one page's response holds: its items and the request of the next page."""

    items: list[Any]
    body: Any
    next: RequestSpec[Any] | None


def _query_value(query: Sequence[tuple[str, str]], name: str | None) -> str | None:
    return query_value(query, name) if name else None


def _with_query(spec: RequestSpec[Any], name: str, value: str) -> RequestSpec[Any]:
    """The request with `name` set to `value` (the query's pairs are percent-encoded)."""
    pair = query_pair(name, value)
    return replace(spec, query=[*((k, v) for k, v in spec.query if k != pair[0]), pair])


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def read_page(
    pagination: Pagination[Any],
    spec: RequestSpec[Any],
    response: APIResponse[Any],
    options: ParseOptions,
    base_url: str,
) -> _Read:
    """A page's items (checked with the body by the spec's validator) and the next request."""
    http = response.http_response
    target = spec.responses.success.get(http.status_code, spec.responses.fallback)
    try:
        data = loads(http.content)
    except ValueError:
        raise APIResponseValidationError(
            f"expected a JSON page with status {http.status_code}, got {http.headers.get('content-type')}",
            response=http,
            body=http.text,
        ) from None
    unknown_members = target.check(data, http, options) if isinstance(target, Model) else False
    found = resolve(data, pagination.items)
    if not isinstance(found, list):
        raise APIResponseValidationError(
            f"the {http.status_code} page has no list of items at {pagination.items or '(root)'}",
            response=http,
            body=data,
        )
    item = pagination.item
    items = [item.construct(value, http, unknown_members) for value in found] if item is not None else list(found)
    return _Read(items, data, _next_request(pagination, spec, http, data, len(items), base_url))


def _next_request(
    pagination: Pagination[Any], spec: RequestSpec[Any], http: httpx.Response, data: Any, count: int, base_url: str
) -> RequestSpec[Any] | None:
    if pagination.has_more is not None and resolve(data, pagination.has_more) is False:
        return None
    style = pagination.style
    following: RequestSpec[Any] | None = None
    if style == "cursor":
        cursor = resolve(data, pagination.next_cursor or "")
        if cursor is not _MISSING and cursor is not None and cursor != "" and pagination.cursor_param:
            following = _with_query(spec, pagination.cursor_param, str(cursor))
    elif style in ("offset", "page"):
        limit = _int(_query_value(spec.query, pagination.limit_param), 0)
        if count and not (limit and count < limit):
            if style == "offset" and pagination.offset_param:
                offset = _int(_query_value(spec.query, pagination.offset_param), 0)
                following = _with_query(spec, pagination.offset_param, str(offset + count))
            elif pagination.page_param:
                page = _int(_query_value(spec.query, pagination.page_param), 1)
                following = _with_query(spec, pagination.page_param, str(page + 1))
    else:
        url = (
            resolve(data, pagination.next_url or "") if style == "next-url" else next_link(http.headers.get("link", ""))
        )
        if isinstance(url, str) and url:
            following = _at_url(spec, str(http.request.url), url, base_url)
    if following is not None and following.path == spec.path and following.query == spec.query:
        return None  # the server named this very page again: stop instead of looping
    return following


def _at_url(spec: RequestSpec[Any], current: str, url: str, base_url: str) -> RequestSpec[Any]:
    """The request of a next-page URL (absolute or relative to the page it came with)."""
    absolute = urljoin(current, url)
    if not absolute.startswith(base_url.rstrip("/") + "/") and absolute != base_url:
        raise SDKError(
            f"the next page is at {absolute}, outside the client's base URL {base_url}: not followed "
            "(the request would carry the credentials there)"
        )
    # The URL carries the query the server wants; the first request's own query is not repeated.
    return replace(spec, path=absolute[len(base_url.rstrip("/")) :], query=[], extra_query=None)


class _Page(Generic[T]):
    """What both flavours of page hold."""

    def __init__(self, read: _Read, response: APIResponse[Any]) -> None:
        self.items: list[T] = read.items
        self.body: Any = read.body
        self.http_response = response.http_response
        self._next = read.next

    def has_next_page(self) -> bool:
        """Whether another page follows (by the spec's signals, without fetching it)."""
        return self._next is not None

    def __repr__(self) -> str:
        more = ", more" if self._next is not None else ""
        return f"<{type(self).__name__} {len(self.items)} items{more}>"


class SyncPage(_Page[T]):
    """One page of a paginated operation (`Client`). Iterate it for every item of it and the pages after it."""

    def __init__(
        self,
        client: SyncAPIClient,
        spec: RequestSpec[Any],
        pagination: Pagination[T],
        response: APIResponse[Any],
        options: dict[str, Any],
    ) -> None:
        super().__init__(read_page(pagination, spec, response, client._parse_options, client.base_url), response)
        self._client = client
        self._pagination = pagination
        self._options = options

    def get_next_page(self) -> SyncPage[T]:
        """Fetch the next page; SDKError when there is none (see `has_next_page()`)."""
        if self._next is None:
            raise SDKError("this is the last page: there is no next page to fetch")
        response = self._client._send(self._next, **self._options)
        return SyncPage(self._client, self._next, self._pagination, response, self._options)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """This page, then each following one, fetched when reached."""
        page = self
        yield page
        while page.has_next_page():
            page = page.get_next_page()
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_Page[T]):
    """One page of a paginated operation (`AsyncClient`): `async for` gives every item from here on."""

    def __init__(
        self,
        client: AsyncAPIClient,
        spec: RequestSpec[Any],
        pagination: Pagination[T],
        response: APIResponse[Any],
        options: dict[str, Any],
    ) -> None:
        super().__init__(read_page(pagination, spec, response, client._parse_options, client.base_url), response)
        self._client = client
        self._pagination = pagination
        self._options = options

    async def get_next_page(self) -> AsyncPage[T]:
        """Fetch the next page; SDKError when there is none (see `has_next_page()`)."""
        if self._next is None:
            raise SDKError("this is the last page: there is no next page to fetch")
        response = await self._client._send(self._next, **self._options)
        return AsyncPage(self._client, self._next, self._pagination, response, self._options)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page, then each following one, fetched when reached."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.get_next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPaginator(Generic[T]):
    """What a paginated `AsyncClient` method returns: `await` it for the first `AsyncPage`, or
    `async for` over it for every item of every page (the first request is sent then)."""

    def __init__(
        self,
        client: AsyncAPIClient,
        spec: RequestSpec[Any],
        pagination: Pagination[T],
        *,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
    ) -> None:
        self._client = client
        self._spec = spec
        self._pagination = pagination
        self._options: dict[str, Any] = {"timeout": timeout, "max_retries": max_retries}

    async def _first(self) -> AsyncPage[T]:
        response = await self._client._send(self._spec, **self._options)
        return AsyncPage(self._client, self._spec, self._pagination, response, self._options)

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item
