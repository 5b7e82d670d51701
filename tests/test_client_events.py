"""Server-sent events against a real server on 127.0.0.1, sync and async
(`tests/data/client/streams.yaml`).

Events arrive while the server is still sending; their data parses into the spec's model (or
stays a `ServerSentEvent`); a stream the server cuts mid-event yields the complete events,
then raises `APIConnectionError`, and is not retried; a stream that ends cleanly mid-event
drops the incomplete one; retries happen before the first byte only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from client_support import FLAVOURS, ROOT, generated_package
from local_server import LocalServer, Reply, Request, json_reply

SPEC = ROOT / "tests" / "data" / "client" / "streams.yaml"
SSE = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}


@pytest.fixture(scope="module")
def streams(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "streams") as package:
        package._runtime.retries.INITIAL_RETRY_DELAY = 0.01
        yield package


def events(
    flavour: str, streams: ModuleType, url: str, method: str, *, limit: int | None = None, **arguments: Any
) -> list[Any]:
    """Call a streaming method, collect its events (up to `limit`), close the stream."""
    options = arguments.pop("client_options", {})
    if flavour == "sync":
        with streams.Client(base_url=url, **options) as client:
            found = []
            with getattr(client, method)(**arguments) as stream:
                assert isinstance(stream, streams.Stream)
                for event in stream:
                    found.append(event)
                    if limit is not None and len(found) == limit:
                        break
            return found

    async def main() -> list[Any]:
        async with streams.AsyncClient(base_url=url, **options) as client:
            found = []
            async with await getattr(client, method)(**arguments) as stream:
                assert isinstance(stream, streams.AsyncStream)
                async for event in stream:
                    found.append(event)
                    if limit is not None and len(found) == limit:
                        break
            return found

    return asyncio.run(main())


def ticks(request: Request) -> Reply:
    frames = [
        b": stream opened\n\n",
        b'id: 1\ndata: {"price": 101.5, "side": "buy"}\n\n',
        b'event: tick\r\ndata: {"price":\r\ndata: 102}\r\n\r\n',
        b'id: 3\ndata: {"price": 103, "side": "hold", "venue": "x"}\n\n',
    ]
    return Reply(200, SSE, chunks=frames)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_events_parse_into_the_model(flavour: str, streams: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    with LocalServer(ticks) as server, caplog.at_level(logging.WARNING, logger="streams"):
        found = events(flavour, streams, server.url, "stream_ticks", symbol="ACME")
    assert [tick.price for tick in found] == [101.5, 102, 103]
    assert found[0].side is streams.models.TickSide.BUY
    assert found[2].side == "hold" and found[2].model_extra == {"venue": "x"}  # grew: kept, with a warning
    assert "(event 'message') has what the spec does not list: /side" in caplog.text
    request = server.requests[0]
    assert request.header("accept") == "text/event-stream, application/json"
    assert request.query == {"symbol": ["ACME"]}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_events_without_a_schema_are_server_sent_events(flavour: str, streams: ModuleType) -> None:
    def raw(request: Request) -> Reply:
        return Reply(200, SSE, chunks=[b"retry: 2000\nevent: hello\ndata: a\ndata: b\nid: 9\n\n", b"data: c\n\n"])

    with LocalServer(raw) as server:
        for method in ("stream_raw", "stream_log"):
            found = events(flavour, streams, server.url, method)
            assert found == [
                streams.ServerSentEvent("a\nb", "hello", "9", 2000),
                streams.ServerSentEvent("c", "message", "9", 2000),
            ]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_event_object_with_a_content_schema(flavour: str, streams: ModuleType) -> None:
    def wrapped(request: Request) -> Reply:
        assert json.loads(request.body) == {"topic": "t"}
        return Reply(200, SSE, chunks=[b'event: tick\ndata: {"price": 1}\n\n'])

    with LocalServer(wrapped) as server:
        found = events(flavour, streams, server.url, "stream_wrapped", body={"topic": "t"})
    assert found == [streams.models.Tick(price=1)]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_stream_cut_mid_event_raises_after_the_complete_events(flavour: str, streams: ModuleType) -> None:
    def cut(request: Request) -> Reply:
        return Reply(200, SSE, chunks=[b'data: {"price": 1}\n\n', b'data: {"price": 2}\n\n', b'data: {"pri'], cut=True)

    found: list[Any] = []
    with LocalServer(cut) as server, pytest.raises(streams.APIConnectionError, match="broke while the body was read"):
        if flavour == "sync":
            with streams.Client(base_url=server.url) as client:
                found.extend(client.stream_ticks(symbol="A"))
        else:

            async def main() -> None:
                async with streams.AsyncClient(base_url=server.url) as client:
                    async for tick in await client.stream_ticks(symbol="A"):
                        found.append(tick)

            asyncio.run(main())
    assert [tick.price for tick in found] == [1, 2]
    assert len(server.requests) == 1  # not retried once the first byte came


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_stream_that_ends_mid_event_drops_the_incomplete_event(flavour: str, streams: ModuleType) -> None:
    def ends(request: Request) -> Reply:
        return Reply(200, SSE, chunks=[b'data: {"price": 1}\n\n', b'data: {"price": 2}\n'], until_close=True)

    with LocalServer(ends) as server:
        assert [tick.price for tick in events(flavour, streams, server.url, "stream_ticks", symbol="A")] == [1]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_retries_happen_before_the_first_byte(flavour: str, streams: ModuleType) -> None:
    answers = iter([json_reply('{"message": "slow down"}', 429, **{"Retry-After": "0"}), Reply(503)])

    def flaky(request: Request) -> Reply:
        return next(answers, None) or ticks(request)

    with LocalServer(flaky) as server:
        found = events(flavour, streams, server.url, "stream_ticks", symbol="A")
    assert len(found) == 3 and len(server.requests) == 3


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_error_status_raises_with_its_model(flavour: str, streams: ModuleType) -> None:
    with (
        LocalServer(lambda request: json_reply('{"message": "slow down"}', 429)) as server,
        pytest.raises(streams.RateLimitError) as caught,
    ):
        events(flavour, streams, server.url, "stream_ticks", symbol="A", client_options={"max_retries": 0})
    assert caught.value.error.message == "slow down"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_events_arrive_while_the_server_is_still_sending(flavour: str, streams: ModuleType) -> None:
    release = threading.Event()

    def slow(request: Request) -> Iterator[bytes]:
        yield b'data: {"price": 1}\n\n'
        release.wait(10)  # the client must see the first event before this returns
        yield b'data: {"price": 2}\n\n'

    with LocalServer(lambda request: Reply(200, SSE, chunks=slow(request))) as server:
        if flavour == "sync":
            with streams.Client(base_url=server.url) as client, client.stream_ticks(symbol="A") as stream:
                iterator = iter(stream)
                assert next(iterator).price == 1
                release.set()
                assert next(iterator).price == 2
        else:

            async def main() -> None:
                async with streams.AsyncClient(base_url=server.url) as client:
                    stream = await client.stream_ticks(symbol="A")
                    iterator = stream.__aiter__()
                    assert (await iterator.__anext__()).price == 1
                    release.set()
                    assert (await iterator.__anext__()).price == 2
                    await stream.close()

            asyncio.run(main())


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_raw_and_streaming_responses_parse_into_streams(flavour: str, streams: ModuleType) -> None:
    with LocalServer(ticks) as server:
        if flavour == "sync":
            with streams.Client(base_url=server.url) as client:
                raw = client.with_raw_response.stream_ticks(symbol="A")
                assert raw.status_code == 200 and raw.headers["content-type"] == "text/event-stream"
                with raw.parse() as stream:
                    assert len(list(stream)) == 3
                with client.with_streaming_response.stream_ticks(symbol="A") as response:
                    assert [tick.price for tick in response.parse()][:1] == [101.5]
        else:

            async def main() -> None:
                async with streams.AsyncClient(base_url=server.url) as client:
                    raw = await client.with_raw_response.stream_ticks(symbol="A")
                    async with raw.parse() as stream:
                        assert len([tick async for tick in stream]) == 3
                    async with client.with_streaming_response.stream_ticks(symbol="A") as response:
                        stream = await response.parse()
                        assert [tick.price async for tick in stream][:1] == [101.5]

            asyncio.run(main())


def test_stopping_early_closes_the_connection(streams: ModuleType) -> None:
    def endless(request: Request) -> Reply:
        def frames() -> Iterator[bytes]:
            for n in range(100_000):
                yield b'data: {"price": %d}\n\n' % n

        return Reply(200, SSE, chunks=frames())

    with LocalServer(endless) as server, streams.Client(base_url=server.url) as client:
        with client.stream_ticks(symbol="A") as stream:
            assert next(iter(stream)).price == 0
        assert stream.response.is_closed
