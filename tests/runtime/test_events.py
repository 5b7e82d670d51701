"""The event-stream parser on its own, case by case of the WHATWG rules, and a property test:
whatever line endings and however the bytes are cut into chunks, the same events come out."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any, NamedTuple

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.runtime._runtime.events import AsyncStream, EventDecoder, EventStream, ServerSentEvent, Stream
from generator.runtime._runtime.responses import Model, ParseOptions
from generator.runtime.errors import APIConnectionError, APIResponseValidationError


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    decoder = EventDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events + decoder.finish()


def test_data_lines_join_and_the_type_defaults_to_message() -> None:
    assert decode(b"data: first\ndata: second\n\n") == [ServerSentEvent("first\nsecond")]
    assert decode(b"event: tick\ndata: {}\n\n")[0].event == "tick"
    assert decode(b"event: tick\ndata: 1\n\ndata: 2\n\n")[1].event == "message"  # the type is per event


def test_comments_unknown_fields_and_events_without_data_are_skipped() -> None:
    stream = b": keep-alive\n\nfoo: bar\nevent: nothing\n\n:\ndata: x\n\n"
    assert decode(stream) == [ServerSentEvent("x")]


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_every_line_ending(end: bytes) -> None:
    stream = end.join([b"data: a", b"data: b", b"", b"data: c", b"", b""])
    assert decode(stream) == [ServerSentEvent("a\nb"), ServerSentEvent("c")]


def test_a_crlf_cut_between_chunks_is_one_line_end() -> None:
    assert decode(b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n") == [ServerSentEvent("a"), ServerSentEvent("b")]


def test_only_cr_and_lf_end_lines() -> None:
    # Python's str.splitlines would also split at \x0b, \x1c, \u2028...
    assert decode("data: a\x0bb\u2028c\n\n".encode()) == [ServerSentEvent("a\x0bb\u2028c")]


def test_one_leading_space_is_dropped_and_no_more() -> None:
    assert [e.data for e in decode(b"data:x\n\ndata: x\n\ndata:  x\n\ndata\n\n")] == ["x", "x", " x", ""]


def test_ids_carry_over_and_an_id_with_nul_is_ignored() -> None:
    events = decode(b"id: 1\ndata: a\n\ndata: b\n\nid: 2\x00\ndata: c\n\nid\ndata: d\n\n")
    assert [e.id for e in events] == ["1", "1", "1", ""]


def test_retry_only_when_all_digits() -> None:
    decoder = EventDecoder()
    events = decoder.feed(b"retry: 1500\ndata: a\n\nretry: soon\ndata: b\n\nretry: 1e3\ndata: c\n\n")
    assert [e.retry for e in events] == [1500, 1500, 1500]
    assert decoder.retry == 1500 and decoder.last_event_id is None


def test_a_bom_is_dropped_and_bad_utf8_replaced() -> None:
    assert decode(b"\xef\xbb\xbfdata: a\n\n") == [ServerSentEvent("a")]
    assert decode(b"\xef\xbb", b"\xbfdata: caf\xc3", b"\xa9 \xff\n\n") == [ServerSentEvent("café \ufffd")]
    assert decode(b"data: \xef\xbb\xbfa\n\n") == [ServerSentEvent("\ufeffa")]  # only the first BOM goes


def test_an_event_without_its_blank_line_is_discarded_at_the_end() -> None:
    assert decode(b"data: a\n\ndata: b\n") == [ServerSentEvent("a")]
    assert decode(b"data: a\n\ndata: b") == [ServerSentEvent("a")]
    assert decode(b"data: a\n\n\xc3") == [ServerSentEvent("a")]


def test_a_long_line_over_many_chunks_is_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large event's data line arriving in many chunks is joined when it ends, not re-joined
    and re-scanned with each chunk (quadratic: a 4 MB event in 4 KB chunks scanned 2 GB)."""
    import generator.runtime._runtime.events as events_module

    scanned: list[int] = []
    real = events_module._LINE_END

    class Counting:
        def finditer(self, text: str) -> Iterator[Any]:
            scanned.append(len(text))
            return real.finditer(text)

    monkeypatch.setattr(events_module, "_LINE_END", Counting())
    payload = b"data: " + b"x" * 400_000 + b"\n\n"
    decoder = EventDecoder()
    found = [event for start in range(0, len(payload), 1000) for event in decoder.feed(payload[start : start + 1000])]
    assert [len(event.data) for event in found] == [400_000]
    assert sum(scanned) <= 2 * len(payload)


def test_json_of_the_data() -> None:
    assert ServerSentEvent('{"a": [1]}').json() == {"a": [1]}


class Sent(NamedTuple):
    event: str | None
    data: list[str]
    id: str | None


line_text = st.text(st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)), max_size=8)
events_strategy = st.lists(
    st.builds(
        Sent,
        st.none() | st.from_regex(r"[a-z]{1,5}", fullmatch=True),
        st.lists(line_text, min_size=1, max_size=3),
        st.none() | st.from_regex(r"[0-9]{1,3}", fullmatch=True),
    ),
    max_size=6,
)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(events=events_strategy, end=st.sampled_from(["\n", "\r\n", "\r"]), data=st.data())
def test_any_chunking_gives_the_same_events(events: list[Sent], end: str, data: st.DataObject) -> None:
    lines: list[str] = []
    for sent in events:
        if data.draw(st.booleans()):
            lines.append(": comment")
        if sent.event is not None:
            lines.append(f"event: {sent.event}")
        if sent.id is not None:
            lines.append(f"id: {sent.id}")
        lines.extend(f"data: {line}" for line in sent.data)
        lines.append("")
    encoded = "".join(line + end for line in lines).encode()
    cuts = sorted(data.draw(st.lists(st.integers(0, len(encoded)), max_size=8)))
    chunks = [encoded[a:b] for a, b in zip([0, *cuts], [*cuts, len(encoded)], strict=True)]
    last_id = None
    expected = []
    for sent in events:
        last_id = sent.id if sent.id is not None else last_id
        expected.append(ServerSentEvent("\n".join(sent.data), sent.event or "message", last_id))
    assert decode(*chunks) == expected


# ---------------------------------------------------------------------------- streams


class Tick(BaseModel):
    price: float


def check_tick(data: Any) -> list[Any]:
    return [] if isinstance(data, dict) and isinstance(data.get("price"), int | float) else [_Issue()]


class _Issue(NamedTuple):
    pointer: str = "/price"
    keyword: str = "type"
    message: str = "expected number"
    severity: str = "error"


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes], *, breaks: bool = False) -> None:
        self.chunks = chunks
        self.breaks = breaks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.breaks:
            raise httpx.RemoteProtocolError("incomplete chunked read")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.breaks:
            raise httpx.RemoteProtocolError("incomplete chunked read")

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def response(body: Body) -> httpx.Response:
    return httpx.Response(200, stream=body, request=httpx.Request("GET", "https://x.test/ticks"))


def test_a_stream_parses_each_event_and_closes() -> None:
    body = Body([b'data: {"price": 1}\n\nid: 7\nretry: 30\ndata: {"price"', b": 2.5}\n\n"])
    stream = EventStream(Model(Tick, check_tick)).parse(response(body), ParseOptions())
    assert isinstance(stream, Stream)
    with stream:
        assert list(stream) == [Tick(price=1), Tick(price=2.5)]
    assert body.closed and stream.last_event_id == "7" and stream.retry == 30


def test_an_async_stream() -> None:
    body = Body([b"data: a\n\n", b"event: x\ndata: b\n\n"])
    stream = EventStream().parse(response(body), ParseOptions(asynchronous=True))
    assert isinstance(stream, AsyncStream)

    async def main() -> list[Any]:
        async with stream:
            return [event async for event in stream]

    assert asyncio.run(main()) == [ServerSentEvent("a"), ServerSentEvent("b", "x")]
    assert body.closed


def test_a_stream_cut_mid_event_yields_what_came_then_raises() -> None:
    body = Body([b'data: {"price": 1}\n\ndata: {"pri'], breaks=True)
    stream = EventStream(Model(Tick, check_tick)).parse(response(body), ParseOptions())
    seen = []
    with pytest.raises(APIConnectionError, match="broke while the body was read: RemoteProtocolError"):
        seen.extend(stream)
    assert seen == [Tick(price=1)] and body.closed


def test_event_data_that_is_not_json_or_does_not_match() -> None:
    parser = EventStream(Model(Tick, check_tick))
    with pytest.raises(APIResponseValidationError, match="event 'message' of the 200 response: the data is not JSON"):
        list(parser.parse(response(Body([b"data: [DONE\n\n"])), ParseOptions()))
    with pytest.raises(APIResponseValidationError, match=r"response \(event 'tick'\) does not match Tick"):
        list(
            parser.parse(
                response(Body([b"event: tick\ndata: " + json.dumps({"p": 1}).encode() + b"\n\n"])), ParseOptions()
            )
        )
