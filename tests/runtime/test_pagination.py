"""Pagination on its own: JSON pointers, the Link header (RFC 8288), and the next request of
each style, on hand-built responses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from generator.runtime._runtime.pagination import Pagination, _next_request, next_link, resolve
from generator.runtime._runtime.responses import JSON, ResponseSpec
from generator.runtime._runtime.transport import RequestSpec
from generator.runtime.errors import SDKError

BASE = "https://api.test/v1"


def spec(path: str = "/items", query: list[tuple[str, str]] | None = None) -> RequestSpec[Any]:
    return RequestSpec(
        method="GET",
        path=path,
        responses=ResponseSpec(success={200: JSON}, fallback=None),
        query=query or [],
        headers=[],
        cookies=[],
        content=None,
        security=(),
        needs_credential=False,
        retry_unprocessed_only=False,
        idempotency_key=False,
        extra_headers=None,
        extra_query={"v": "2"},
    )


def response(headers: dict[str, str] | None = None, url: str = BASE + "/items") -> httpx.Response:
    return httpx.Response(200, headers=headers, request=httpx.Request("GET", url))


def following(
    pagination: Pagination[Any], data: Any, count: int, request: RequestSpec[Any] | None = None, **kw: Any
) -> Any:
    return _next_request(pagination, request or spec(), response(**kw), data, count, BASE)


def test_resolve() -> None:
    data = {"a": {"b/c": [1, {"~x": 2}]}}
    assert resolve(data, "") is data
    assert resolve(data, "/a/b~1c/1/~0x") == 2
    assert resolve(data, "/a/missing") is not None and resolve(data, "/a/b~1c/5") is resolve(data, "/nothing")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('<https://a.test/?page=2>; rel="next"', "https://a.test/?page=2"),
        ('<https://a.test/?page=1>; rel="prev", <https://a.test/?page=3>; rel="next"', "https://a.test/?page=3"),
        ('<https://a.test/?p=9>; rel="last next"', "https://a.test/?p=9"),
        ('</items?page=2>; REL=Next; title="x, y"', "/items?page=2"),
        ('<https://a.test/?p=1>; rel="nextish"', None),
        ('<https://a.test/?p=1>; rel="prev"', None),
        ("", None),
    ],
)
def test_next_link(header: str, expected: str | None) -> None:
    assert next_link(header) == expected


def test_cursor() -> None:
    pagination: Pagination[Any] = Pagination("cursor", "/data", cursor_param="after", next_cursor="/next")
    request = spec(query=[("after", "a"), ("limit", "2")])
    assert following(pagination, {"next": "b"}, 2, request).query == [("limit", "2"), ("after", "b")]
    assert following(pagination, {"next": 5}, 2).query == [("after", "5")]
    # the query holds percent-encoded pairs: a base64 cursor must not lose its `+`, `/` and `=`
    assert following(pagination, {"next": "a+b/c="}, 2).query == [("after", "a%2Bb%2Fc%3D")]
    for ended in ({"next": None}, {"next": ""}, {}):
        assert following(pagination, ended, 2) is None
    with_more: Pagination[Any] = Pagination(
        "cursor", "/data", cursor_param="after", next_cursor="/next", has_more="/more"
    )
    assert following(with_more, {"next": "b", "more": False}, 2) is None
    assert following(with_more, {"next": "b", "more": True}, 2) is not None


def test_offset_and_page() -> None:
    offset: Pagination[Any] = Pagination("offset", "/items", offset_param="offset", limit_param="limit")
    assert following(offset, {}, 3, spec(query=[("limit", "3")])).query == [("limit", "3"), ("offset", "3")]
    assert following(offset, {}, 3, spec(query=[("offset", "6"), ("limit", "3")])).query[-1] == ("offset", "9")
    assert following(offset, {}, 2, spec(query=[("limit", "3")])) is None  # a short page
    assert following(offset, {}, 0, spec()) is None  # an empty page
    assert following(offset, {}, 5, spec()).query == [("offset", "5")]  # no limit asked: until empty
    page: Pagination[Any] = Pagination("page", "/items", page_param="page")
    assert following(page, {}, 10, spec()).query == [("page", "2")]
    assert following(page, {}, 10, spec(query=[("page", "x")])).query == [("page", "2")]


def test_next_url_and_link_header() -> None:
    by_body: Pagination[Any] = Pagination("next-url", "/items", next_url="/next")
    found = following(by_body, {"next": "/v1/items?page=2"}, 1)
    assert (found.path, found.query, found.extra_query) == ("/items?page=2", [], None)
    assert following(by_body, {"next": "https://api.test/v1/items?page=3"}, 1).path == "/items?page=3"
    assert following(by_body, {"next": "items?page=4"}, 1).path == "/items?page=4"  # relative to the page's URL
    assert following(by_body, {"next": None}, 1) is None
    with pytest.raises(SDKError, match="outside the client's base URL"):
        following(by_body, {"next": "https://api.test/v2/items"}, 1)
    by_header: Pagination[Any] = Pagination("link-header", "")
    assert following(by_header, [], 1, headers={"Link": '</v1/items?page=2>; rel="next"'}).path == "/items?page=2"
    assert following(by_header, [], 1) is None


def test_the_same_request_again_ends() -> None:
    pagination: Pagination[Any] = Pagination("cursor", "/data", cursor_param="c", next_cursor="/next")
    assert following(pagination, {"next": "x"}, 1, spec(query=[("c", "x")])) is None
