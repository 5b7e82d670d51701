"""Raw request bodies on their own: what `raw_body` takes, and how `RawStream` is read, sent
again, and refused once an iterator has been sent."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from generator.runtime._runtime.bodies import EncodedBody, RawStream, accept_any, raw_body
from generator.runtime.errors import RequestValidationError

LOG = logging.getLogger("tests.runtime.raw")
OCTETS = raw_body("application/octet-stream")


def test_bytes_like_and_text_are_sent_whole() -> None:
    assert OCTETS(b"\x00\xff", accept_any, LOG) == EncodedBody(b"\x00\xff", "application/octet-stream")
    assert OCTETS(bytearray(b"ab"), accept_any, LOG).data == b"ab"
    assert OCTETS(memoryview(b"ab"), accept_any, LOG).data == b"ab"
    assert raw_body("text/plain")("grüße", accept_any, LOG) == EncodedBody("grüße".encode(), "text/plain")


@pytest.mark.parametrize("body", [{"a": 1}, 3, None, 1.5])
def test_other_values_are_refused(body: object) -> None:
    with pytest.raises(RequestValidationError, match="application/octet-stream body must be bytes, a file"):
        OCTETS(body, accept_any, LOG)


def test_a_seekable_file_is_read_from_where_it_stood_every_time(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"headerPAYLOAD" * 10_000)
    with path.open("rb") as handle:
        handle.read(6)
        encoded = OCTETS(handle, accept_any, LOG)
        stream = encoded.data
        assert isinstance(stream, RawStream)
        assert stream.length == len(path.read_bytes()) - 6
        first = b"".join(stream)
        assert first == path.read_bytes()[6:]
        assert stream.replayable
        assert b"".join(stream) == first  # a retry sends the same bytes

        async def read() -> bytes:
            return b"".join([chunk async for chunk in stream])

        assert asyncio.run(read()) == first


def test_an_in_memory_file_has_a_length_without_a_descriptor() -> None:
    stream = RawStream(io.BytesIO(b"abcdef"))
    assert stream.length == 6 and b"".join(stream) == b"abcdef"


def test_an_iterator_is_sent_once() -> None:
    def parts() -> Iterator[bytes]:
        yield b"a"
        yield bytearray(b"b")
        yield "c"  # type: ignore[misc]

    stream = RawStream(parts())
    assert stream.replayable and stream.length is None and not stream.needs_async
    assert b"".join(stream) == b"abc"
    assert not stream.replayable
    with pytest.raises(RequestValidationError, match="was sent once already"):
        b"".join(stream)


def test_an_async_iterator_needs_the_async_client() -> None:
    async def parts() -> AsyncIterator[bytes]:
        yield b"a"
        yield b"b"

    stream = RawStream(parts())
    assert stream.needs_async
    with pytest.raises(RequestValidationError, match="needs the AsyncClient"):
        b"".join(stream)

    async def read() -> bytes:
        return b"".join([chunk async for chunk in RawStream(parts())])

    assert asyncio.run(read()) == b"ab"


def test_a_chunk_that_is_not_bytes_is_refused() -> None:
    with pytest.raises(RequestValidationError, match="gave a int, not bytes"):
        b"".join(RawStream(iter([b"a", 3])))
