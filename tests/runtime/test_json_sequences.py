"""JSON sequences read as streams: records cut at LF (JSON lines, NDJSON) or RS (json-seq),
however the body is chunked, each parsed into the item model (or plain JSON), the last one
complete without its line end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.runtime._runtime.events import AsyncStream, JsonSequence, JsonSequenceDecoder, Stream
from generator.runtime._runtime.responses import Model, ParseOptions
from generator.runtime.errors import APIResponseValidationError

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


def decoded(decoder: JsonSequenceDecoder, chunks: list[bytes]) -> list[Any]:
    records = [record for chunk in chunks for record in decoder.feed(chunk)] + decoder.finish()
    return [json.loads(record) for record in records]


@settings(max_examples=60, deadline=None)
@given(values=st.lists(JSON_VALUES, max_size=5), seq=st.booleans(), indent=st.booleans(), data=st.data())
def test_any_chunking_gives_the_same_records(values: list[Any], seq: bool, indent: bool, data: st.DataObject) -> None:
    # json-seq records may span lines (RS frames them); JSON lines are one line each.
    texts = [json.dumps(value, indent=2 if seq and indent else None) for value in values]
    body = "".join(("\x1e" + text + "\n") if seq else (text + "\r\n") for text in texts).encode()
    cuts = sorted(data.draw(st.lists(st.integers(0, len(body)), max_size=6)))
    chunks = [body[start:end] for start, end in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    assert decoded(JsonSequenceDecoder("\x1e" if seq else "\n"), chunks) == values


def test_the_last_record_needs_no_line_end_and_blank_lines_are_skipped() -> None:
    assert decoded(JsonSequenceDecoder(), [b'\xef\xbb\xbf{"a": 1}\n\n  \n[2', b"]"]) == [{"a": 1}, [2]]
    assert decoded(JsonSequenceDecoder(), [b"  "]) == []


class Tick(BaseModel):
    price: float


def check_tick(data: Any) -> list[Any]:
    from generator.runtime._runtime.checks import Issue

    ok = isinstance(data, dict) and isinstance(data.get("price"), int | float)
    return [] if ok else [Issue("/price", "type", "expected number")]


def streamed(content: bytes) -> httpx.Response:
    """A response whose body arrives three bytes at a time."""

    def chunks() -> Iterator[bytes]:
        yield from (content[i : i + 3] for i in range(0, len(content), 3))

    return httpx.Response(200, content=chunks(), request=httpx.Request("GET", "https://ticks.test/history"))


def test_a_stream_of_records_parses_each_into_the_model() -> None:
    body = JsonSequence(Model(Tick, check_tick))
    assert body.streams
    stream = body.parse(streamed(b'{"price": 1}\n{"price": 2.5}'), ParseOptions())
    assert isinstance(stream, Stream)
    assert list(stream) == [Tick(price=1), Tick(price=2.5)]
    assert stream.last_event_id is None and stream.retry is None  # event-stream fields only
    with pytest.raises(APIResponseValidationError, match=r"\(a record\) does not match Tick: /price"):
        list(body.parse(streamed(b'{"price": "x"}\n'), ParseOptions()))
    with pytest.raises(APIResponseValidationError, match="a record of the 200 response is not JSON"):
        list(JsonSequence().parse(streamed(b"{nope\n"), ParseOptions()))


def test_an_async_stream_of_records() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"\x1e[1]\n\x1e"
        yield b'{"b": null}\n'

    response = httpx.Response(200, content=chunks(), request=httpx.Request("GET", "https://ticks.test/"))
    stream = JsonSequence(None, "\x1e").parse(response, ParseOptions(asynchronous=True))
    assert isinstance(stream, AsyncStream)

    async def main() -> list[Any]:
        async with stream:
            return [record async for record in stream]

    assert asyncio.run(main()) == [[1], {"b": None}]


def test_a_long_record_over_many_chunks_is_joined_once() -> None:
    decoder = JsonSequenceDecoder()
    chunk = b'"' + b"x" * 4095
    for _ in range(2000):  # 8 MB in 4 KB pieces, the record ending only after the last
        assert decoder.feed(chunk[1:] if _ else chunk) == []
    [record] = decoder.feed(b'"\n')
    assert len(record) == 2000 * 4095 + 2
