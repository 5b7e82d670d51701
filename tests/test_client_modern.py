"""An OpenAPI 3.2 spec end to end against a real server on 127.0.0.1, sync and async
(`tests/data/client/modern.yaml`).

`itemSchema` gives one item of a streamed body: server-sent events parse into the model it
names (directly, through the event object's `contentSchema`, or stay `ServerSentEvent`s when
the event object's data is plain text), and JSON sequences (JSON lines, NDJSON, json-seq)
stream their records as models, read while the server is still sending. The `query` method
and an `additionalOperations` method go out as such; a `$ref` through `$self` and a media type
from components/mediaTypes resolve.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from client_support import FLAVOURS, ROOT, generated_package
from local_server import LocalServer, Reply, Request, json_reply

SPEC = ROOT / "tests" / "data" / "client" / "modern.yaml"
SSE = {"Content-Type": "text/event-stream"}


@pytest.fixture(scope="module")
def modern(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "modern") as package:
        yield package


def items(flavour: str, modern: ModuleType, url: str, method: str, **arguments: Any) -> list[Any]:
    """Call a streaming method and collect what its stream yields."""
    if flavour == "sync":
        with modern.Client(base_url=url) as client, getattr(client, method)(**arguments) as stream:
            assert isinstance(stream, modern.Stream)
            return list(stream)

    async def main() -> list[Any]:
        async with modern.AsyncClient(base_url=url) as client, await getattr(client, method)(**arguments) as stream:
            assert isinstance(stream, modern.AsyncStream)
            return [item async for item in stream]

    return asyncio.run(main())


def call(flavour: str, modern: ModuleType, url: str, method: str, **arguments: Any) -> Any:
    if flavour == "sync":
        with modern.Client(base_url=url) as client:
            return getattr(client, method)(**arguments)

    async def main() -> Any:
        async with modern.AsyncClient(base_url=url) as client:
            return await getattr(client, method)(**arguments)

    return asyncio.run(main())


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_item_schema_gives_the_model_of_one_event(flavour: str, modern: ModuleType) -> None:
    def ticks(request: Request) -> Reply:
        return Reply(200, SSE, chunks=[b'data: {"price": 1.5, "side": "buy"}\n\n', b'data: {"pri', b'ce": 2}\n\n'])

    with LocalServer(ticks) as server:
        found = items(flavour, modern, server.url, "stream_ticks", symbol="ACME")
    assert found == [modern.models.Tick(price=1.5, side="buy"), modern.models.Tick(price=2)]
    assert found[0].side is modern.models.TickSide.BUY
    assert server.requests[0].header("accept") == "text/event-stream"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_item_schema_of_the_event_object(flavour: str, modern: ModuleType) -> None:
    def quotes(request: Request) -> Reply:
        return Reply(200, SSE, chunks=[b'event: quote\nid: 7\ndata: {"price": 3}\n\n'])

    def notices(request: Request) -> Reply:
        return Reply(200, SSE, chunks=[b"event: notice\ndata: market opens\ndata: at nine\n\n"])

    with LocalServer(quotes) as server:
        assert items(flavour, modern, server.url, "stream_quotes") == [modern.models.Tick(price=3)]
    with LocalServer(notices) as server:  # the event object's data is text: the events as sent
        found = items(flavour, modern, server.url, "stream_notices")
    assert found == [modern.ServerSentEvent("market opens\nat nine", "notice")]


TICKS = [{"price": 1, "side": "buy"}, {"price": 2.25}, {"price": 3, "side": "sell"}]


def _lines(separator: bytes, end: bytes) -> list[bytes]:
    """The three ticks framed by `separator`/`end`, cut into chunks that split records."""
    body = b"".join(separator + json.dumps(tick).encode() + end for tick in TICKS)
    return [body[:5], body[5:23], body[23:24], body[24:]]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    ("method", "media", "chunks"),
    [
        ("tick_history", "application/jsonl", _lines(b"", b"\n")),
        ("tick_history", "application/jsonl", [*_lines(b"", b"\r\n"), b"\n"]),  # CRLF, a blank line at the end
        ("tick_history_ndjson", "application/x-ndjson", [*_lines(b"", b"\n")[:-1], _lines(b"", b"\n")[-1][:-1]]),
        ("tick_history_seq", "application/json-seq", _lines(b"\x1e", b"\n")),
    ],
    ids=["jsonl", "jsonl-crlf", "ndjson-no-final-newline", "json-seq"],
)
def test_a_json_sequence_streams_its_records(
    flavour: str, modern: ModuleType, method: str, media: str, chunks: list[bytes]
) -> None:
    def history(request: Request) -> Reply:
        return Reply(200, {"Content-Type": media}, chunks=chunks)

    with LocalServer(history) as server:
        found = items(flavour, modern, server.url, method)
    assert [tick.model_dump(exclude_unset=True) for tick in found] == TICKS
    assert server.requests[0].header("accept") == media


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_records_are_read_while_the_server_still_sends(flavour: str, modern: ModuleType) -> None:
    import threading

    first_read = threading.Event()

    def slow(request: Request) -> Reply:
        def chunks() -> Iterator[bytes]:
            yield b'{"price": 1}\n'
            assert first_read.wait(10), "the client waited for the whole body"
            yield b'{"price": 2}\n'

        return Reply(200, {"Content-Type": "application/jsonl"}, chunks=chunks())

    seen: list[float] = []

    def record(tick: Any) -> None:
        seen.append(tick.price)
        first_read.set()

    with LocalServer(slow) as server:
        if flavour == "sync":
            with modern.Client(base_url=server.url) as client, client.tick_history() as stream:
                for tick in stream:
                    record(tick)
        else:

            async def main() -> None:
                async with modern.AsyncClient(base_url=server.url) as client, await client.tick_history() as stream:
                    async for tick in stream:
                        record(tick)

            asyncio.run(main())
    assert seen == [1, 2]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_record_that_does_not_fit_raises_and_an_unknown_enum_value_is_kept(
    flavour: str, modern: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    def grown(request: Request) -> Reply:
        return Reply(200, {"Content-Type": "application/jsonl"}, chunks=[b'{"price": 1, "side": "hold"}\n'])

    def broken(request: Request) -> Reply:
        chunks = [b'{"price": 1}\n{"price": "high"}\nnot json\n']
        return Reply(200, {"Content-Type": "application/jsonl"}, chunks=chunks)

    with LocalServer(grown) as server, caplog.at_level(logging.WARNING, logger="modern"):
        [tick] = items(flavour, modern, server.url, "tick_history")
    assert tick.side == "hold"
    assert "(a record) has what the spec does not list: /side" in caplog.text
    with LocalServer(broken) as server, pytest.raises(modern.APIResponseValidationError, match=r"/price"):
        items(flavour, modern, server.url, "tick_history")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_empty_item_schema_streams_plain_json(flavour: str, modern: ModuleType) -> None:
    def raw(request: Request) -> Reply:
        return Reply(200, {"Content-Type": "application/jsonl"}, chunks=[b'{"a": [1]}\n"text"\n3\n'])

    def not_json(request: Request) -> Reply:
        return Reply(200, {"Content-Type": "application/jsonl"}, chunks=[b"{oops\n"])

    with LocalServer(raw) as server:
        assert items(flavour, modern, server.url, "raw_history") == [{"a": [1]}, "text", 3]
    with LocalServer(not_json) as server, pytest.raises(modern.APIResponseValidationError, match="is not JSON"):
        items(flavour, modern, server.url, "raw_history")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_query_method_and_an_additional_operation(flavour: str, modern: ModuleType) -> None:
    def route(request: Request) -> Reply:
        if request.method == "QUERY":
            assert json.loads(request.body) == {"symbol": "ACME", "below": 100}
            return json_reply(json.dumps([{"price": 99}]))
        assert (request.method, request.route) == ("PURGE", "/ticks/7")
        return Reply(204)

    with LocalServer(route) as server:
        found = call(flavour, modern, server.url, "search_ticks", body={"symbol": "ACME", "below": 100})
        assert [tick.price for tick in found.root] == [99]
        assert call(flavour, modern, server.url, "purge_tick", tick_id=7) is None
    assert [request.method for request in server.requests] == ["QUERY", "PURGE"]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_media_type_from_components(flavour: str, modern: ModuleType) -> None:
    with LocalServer(lambda request: json_reply('{"price": 12.5, "side": "sell"}')) as server:
        tick = call(flavour, modern, server.url, "get_tick", tick_id=1)
    assert tick == modern.models.Tick(price=12.5, side="sell")


def test_the_readme_shows_the_streams_and_the_3_2_example(modern: ModuleType) -> None:
    readme = (modern.out_dir / "modern" / "README.md").read_text(encoding="utf-8")
    assert "for record in result:" in readme and "Records (one JSON text each) arrive as you iterate" in readme
    assert '"below": 100' in readme  # the request example's `dataValue`
