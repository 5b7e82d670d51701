"""Pagination against a real server on 127.0.0.1, every style, sync and async
(`tests/data/client/pages.yaml`).

The server holds 7 records and pages them the way each style says; the client must give
every item once, in order, fetching a page only when the previous one is used up, keeping
the first request's other query parameters, and stopping on each style's last-page signal.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from client_support import FLAVOURS, ROOT, generated_package
from local_server import LocalServer, Reply, Request, json_reply

SPEC = ROOT / "tests" / "data" / "client" / "pages.yaml"
RECORDS = [{"id": n, "title": f"todo {n}"} for n in range(1, 8)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "pages") as package:
        yield package


def first(request: Request, name: str, default: str) -> str:
    return request.query.get(name, [default])[0]


def server_routes(base: str) -> Callable[[Request], Reply]:
    """The API: /v1/<list>, paged by each style."""

    def route(request: Request) -> Reply:
        path = request.route.removeprefix("/v1")
        if path == "/todos":  # cursor = index of the next record
            start, limit = int(first(request, "cursor", "0")), int(first(request, "limit", "3"))
            chunk = RECORDS[start : start + limit]
            following = str(start + limit) if start + limit < len(RECORDS) else None
            return json_reply(json.dumps({"data": chunk, "next_cursor": following}))
        if path == "/users":
            offset, limit = int(first(request, "offset", "0")), int(first(request, "limit", "3"))
            items = [{"name": r["title"]} for r in RECORDS[offset : offset + limit]]
            return json_reply(json.dumps({"items": items, "total": len(RECORDS)}))
        if path == "/orders":
            page, size = int(first(request, "page", "1")), int(first(request, "per_page", "3"))
            chunk = [{"id": r["id"]} for r in RECORDS[(page - 1) * size : page * size]]
            return json_reply(json.dumps({"results": chunk, "has_more": page * size < len(RECORDS)}))
        if path == "/events":
            start = int(first(request, "from", "0"))
            chunk = [{"id": r["id"]} for r in RECORDS[start : start + 3]]
            following = f"/v1/events?from={start + 3}&since=x" if start + 3 < len(RECORDS) else None
            return json_reply(json.dumps({"events": chunk, "links": {"next": following}}))
        if path == "/repos":
            page, size = int(first(request, "page", "1")), int(first(request, "per_page", "3"))
            chunk = [{"name": r["title"]} for r in RECORDS[(page - 1) * size : page * size]]
            links = [f'<{base}/v1/repos?page=1&per_page={size}>; rel="first"']
            if page * size < len(RECORDS):
                links.append(f'<{base}/v1/repos?page={page + 1}&per_page={size}>; rel="next last"')
            return json_reply(json.dumps(chunk), Link=", ".join(links))
        if path == "/tags":
            after = int(first(request, "after", "0"))
            tags = [r["title"] for r in RECORDS[after : after + 4]]
            body: dict[str, Any] = {"tags": tags}
            if after + 4 < len(RECORDS):
                body["next"] = str(after + 4)
            return json_reply(json.dumps(body))
        return Reply(404)

    return route


def collect(flavour: str, pages: ModuleType, url: str, method: str, **arguments: Any) -> list[Any]:
    """Every item of a paginated call, by iterating what the method returns."""
    if flavour == "sync":
        with pages.Client(base_url=url) as client:
            return list(getattr(client, method)(**arguments))

    async def main() -> list[Any]:
        async with pages.AsyncClient(base_url=url) as client:
            return [item async for item in getattr(client, method)(**arguments)]  # no await: async-iterable

    return asyncio.run(main())


CASES = [
    ("list_todos", {"limit": 3, "done": False}, lambda item: item.id, list(range(1, 8)), 3),
    ("list_users", {"limit": 3}, lambda item: item.name, [r["title"] for r in RECORDS], 3),
    ("list_orders", {"per_page": 3}, lambda item: item.id, list(range(1, 8)), 3),
    ("list_events", {"since": "x"}, lambda item: item.id, list(range(1, 8)), 3),
    ("list_repos", {"per_page": 3}, lambda item: item.name, [r["title"] for r in RECORDS], 3),
    ("list_tags", {}, lambda item: item, [r["title"] for r in RECORDS], 2),
]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(("method", "arguments", "key", "expected", "requests"), CASES, ids=[c[0] for c in CASES])
def test_every_item_across_pages(
    flavour: str,
    pages: ModuleType,
    method: str,
    arguments: dict[str, Any],
    key: Callable[[Any], Any],
    expected: list[Any],
    requests: int,
) -> None:
    with LocalServer(lambda request: route(request)) as server:
        route = server_routes(server.url)
        items = collect(flavour, pages, server.url + "/v1", method, **arguments)
    assert [key(item) for item in items] == expected
    assert len(server.requests) == requests  # a short page (3, 3, 1) is the last


def test_query_parameters_are_kept_and_the_cursor_advanced(pages: ModuleType) -> None:
    with LocalServer(lambda request: route(request)) as server:
        route = server_routes(server.url)
        list(collect("sync", pages, server.url + "/v1", "list_todos", limit=3, done=True))
    assert [r.query for r in server.requests] == [
        {"limit": ["3"], "done": ["true"]},
        {"limit": ["3"], "done": ["true"], "cursor": ["3"]},
        {"limit": ["3"], "done": ["true"], "cursor": ["6"]},
    ]


def test_pages_are_fetched_lazily_and_walked_by_hand(pages: ModuleType) -> None:
    with LocalServer(lambda request: route(request)) as server, pages.Client(base_url=server.url + "/v1") as client:
        route = server_routes(server.url)
        page = client.list_todos(limit=3)
        assert isinstance(page, pages.SyncPage) and len(server.requests) == 1
        assert [todo.id for todo in page.items] == [1, 2, 3] and page.has_next_page()
        assert page.body["next_cursor"] == "3" and page.http_response.status_code == 200
        second = page.get_next_page()
        assert [todo.id for todo in second.items] == [4, 5, 6] and len(server.requests) == 2
        assert [len(p.items) for p in second.iter_pages()] == [3, 1]
        last = list(second.iter_pages())[-1]
        assert not last.has_next_page() and repr(last) == "<SyncPage 1 items>"
        with pytest.raises(pages.SDKError, match="there is no next page"):
            last.get_next_page()
        iterator = iter(client.list_todos(limit=3))
        assert [next(iterator).id for _ in range(3)] == [1, 2, 3]
        count = len(server.requests)
        assert next(iterator).id == 4 and len(server.requests) == count + 1  # fetched when reached


def test_async_pages(pages: ModuleType) -> None:
    async def main(url: str) -> None:
        async with pages.AsyncClient(base_url=url) as client:
            page = await client.list_orders(per_page=3)
            assert isinstance(page, pages.AsyncPage) and [o.id for o in page.items] == [1, 2, 3]
            second = await page.get_next_page()
            assert [o.id for o in second.items] == [4, 5, 6]
            assert [len(p.items) async for p in page.iter_pages()] == [3, 3, 1]
            assert [o.id async for o in second] == [4, 5, 6, 7]

    with LocalServer(lambda request: route(request)) as server:
        route = server_routes(server.url)
        asyncio.run(main(server.url + "/v1"))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_next_url_outside_the_base_url_is_not_followed(flavour: str, pages: ModuleType) -> None:
    def elsewhere(request: Request) -> Reply:
        return json_reply(json.dumps({"events": [{"id": 1}], "links": {"next": "https://evil.test/v1/events"}}))

    with LocalServer(elsewhere) as server, pytest.raises(pages.SDKError, match="outside the client's base URL"):
        collect(flavour, pages, server.url + "/v1", "list_events")
    assert len(server.requests) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_server_naming_the_same_page_again_ends_the_walk(flavour: str, pages: ModuleType) -> None:
    def stuck(request: Request) -> Reply:
        return json_reply(json.dumps({"data": [RECORDS[0]], "next_cursor": "same"}))

    with LocalServer(stuck) as server:
        items = collect(flavour, pages, server.url + "/v1", "list_todos", cursor="same")
    assert len(items) == 1 and len(server.requests) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_items_are_checked_with_the_page(flavour: str, pages: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    def grown(request: Request) -> Reply:
        return json_reply(json.dumps({"results": [{"id": 1, "note": "new"}], "has_more": False}))

    with LocalServer(grown) as server, caplog.at_level(logging.WARNING, logger="pages"):
        (order,) = collect(flavour, pages, server.url + "/v1", "list_orders")
    assert order.id == 1 and "/results/0: unexpected member 'note'" in caplog.text

    def wrong(request: Request) -> Reply:
        return json_reply(json.dumps({"results": [{"id": "one"}]}))

    with LocalServer(wrong) as server, pytest.raises(pages.APIResponseValidationError, match="/results/0/id"):
        collect(flavour, pages, server.url + "/v1", "list_orders")


def test_raw_and_streaming_responses_give_the_page_body(pages: ModuleType) -> None:
    with LocalServer(lambda request: route(request)) as server, pages.Client(base_url=server.url + "/v1") as client:
        route = server_routes(server.url)
        raw = client.with_raw_response.list_todos(limit=2).parse()
        assert [todo.id for todo in raw.data] == [1, 2] and raw.next_cursor == "2"
        with client.with_streaming_response.list_todos(limit=2) as response:
            assert response.parse().next_cursor == "2"
