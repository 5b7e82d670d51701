"""Server-sent events: a `text/event-stream` response read event by event as it arrives.

`EventDecoder` follows the WHATWG "event stream interpretation" rules: UTF-8 (a leading BOM
dropped, invalid bytes replaced), lines ended by CRLF, LF or CR (a CR at the end of a chunk
may be the first half of a CRLF), `:` comments ignored, `field: value` with one leading
space dropped, `data` lines joined with LF, `id` kept across events (never one holding NUL),
`retry` only when all ASCII digits, unknown fields ignored, an event dispatched at a blank
line and only when it has data. At the end of the stream an event without its blank line is
incomplete and is discarded, as the rules say.

JSON sequences (`application/jsonl`, `application/x-ndjson`, `application/json-seq`, each
with OpenAPI 3.2's `itemSchema`) are streams too: `JsonSequenceDecoder` cuts the body into
records (at LF, or at the record separator RS for json-seq, RFC 7464), each a JSON text;
unlike an event, a last record without its line end is complete.

`Stream[T]` (sync) and `AsyncStream[T]` iterate the events' data (or the records) parsed
into the spec's model for one item, or `ServerSentEvent`s when the spec gives none; both are
context managers closing the connection. The request was retried, if at all, before the first byte;
a connection that breaks mid-stream raises `APIConnectionError` (events already yielded
stay yielded).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Protocol, Self, TypeVar

import httpx

from ..errors import APIResponseValidationError
from .responses import BodyParser, Model, ParseOptions, loads
from .streaming import reading

T = TypeVar("T")

# Only CRLF, LF and CR end a line of an event stream (not str.splitlines' other breaks).
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One event as sent: its type (`message` unless named), data, the last event id, the retry hint (ms)."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        """The data as JSON."""
        return json.loads(self.data)


class EventDecoder:
    """Bytes in, complete events out (`feed` per chunk, `finish` at the end of the stream)."""

    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._started = False
        self._pending: list[str] = []  # text after the last complete line, kept in pieces
        self._after_cr = False  # the last chunk ended with CR: a LF opening the next one belongs to it
        self._data: list[str] = []
        self._event = ""
        self._last_id: str | None = None
        self._retry: int | None = None

    @property
    def last_event_id(self) -> str | None:
        return self._last_id

    @property
    def retry(self) -> int | None:
        return self._retry

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        text = self._text.decode(chunk)
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        if self._after_cr and text.startswith("\n"):
            text = text[1:]
        if text:
            self._after_cr = text.endswith("\r")
        if "\n" not in text and "\r" not in text:  # a long line over many chunks: joined once, when it ends
            if text:
                self._pending.append(text)
            return []
        events: list[ServerSentEvent] = []
        text = "".join([*self._pending, text])
        start = 0
        for end in _LINE_END.finditer(text):
            event = self._line(text[start : end.start()])
            if event is not None:
                events.append(event)
            start = end.end()
        self._pending = [text[start:]] if start < len(text) else []  # no line end yet: wait for the rest
        return events

    def finish(self) -> list[ServerSentEvent]:
        """The end of the stream: what is still pending is an incomplete event, discarded."""
        events = self.feed(self._text.decode(b"", final=True).encode())
        self._pending = []
        self._data, self._event = [], ""
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data, event = self._data, self._event
        self._data, self._event = [], ""
        if not data:
            return None
        return ServerSentEvent("\n".join(data), event or "message", self._last_id, self._retry)


class JsonSequenceDecoder:
    """Bytes in, complete records (JSON texts) out: records end at `separator` (LF, or RS)."""

    def __init__(self, separator: str = "\n") -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._separator = separator
        self._pending: list[str] = []  # the text of a record not yet ended, kept in pieces

    def feed(self, chunk: bytes) -> list[str]:
        text = self._text.decode(chunk)
        if self._separator not in text:  # a long record over many chunks: joined once, when it ends
            self._pending.append(text)
            return []
        first, *middle, last = text.split(self._separator)
        records = ["".join([*self._pending, first]), *middle]
        self._pending = [last]
        return [record for record in map(_record, records) if record]

    def finish(self) -> list[str]:
        """The end of the stream: a last record without its line end is complete."""
        last = _record("".join([*self._pending, self._text.decode(b"", final=True)]))
        self._pending = []
        return [last] if last else []


def _record(text: str) -> str:
    """A record without its framing: surrounding whitespace, a BOM, RS (json-seq) and CR."""
    return text.strip(" \t\r\n\x1e\ufeff")


class _Decoder(Protocol):
    def feed(self, chunk: bytes) -> list[Any]: ...

    def finish(self) -> list[Any]: ...


class _StreamBody(BodyParser):
    """A body read item by item as it arrives: `Stream` (sync) or `AsyncStream` over it."""

    streams = True

    def parse(self, response: httpx.Response, options: ParseOptions) -> Any:
        if options.asynchronous:
            return AsyncStream(response, self, options)
        return Stream(response, self, options)

    def decoder(self) -> _Decoder:
        raise NotImplementedError

    def decode(self, item: Any, response: httpx.Response, options: ParseOptions) -> Any:
        raise NotImplementedError


class JsonSequence(_StreamBody):
    """A JSON-lines or json-seq body: each record parsed by `item` (plain JSON without one)."""

    def __init__(self, item: Model | None = None, separator: str = "\n") -> None:
        self.item = item
        self.separator = separator

    def decoder(self) -> JsonSequenceDecoder:
        return JsonSequenceDecoder(self.separator)

    def decode(self, item: Any, response: httpx.Response, options: ParseOptions) -> Any:
        try:
            data = loads(item)
        except ValueError:
            raise APIResponseValidationError(
                f"a record of the {response.status_code} response is not JSON: {item[:80]!r}",
                response=response,
                body=item,
            ) from None
        return data if self.item is None else self.item.build(data, response, options, where=" (a record)")


class EventStream(_StreamBody):
    """A `text/event-stream` body: each event's data (JSON) parsed by `item`, or the
    `ServerSentEvent`s themselves when the spec gives no schema for one event."""

    def __init__(self, item: Model | None = None) -> None:
        self.item = item

    def decoder(self) -> EventDecoder:
        return EventDecoder()

    def decode(self, item: Any, response: httpx.Response, options: ParseOptions) -> Any:
        event: ServerSentEvent = item
        if self.item is None:
            return event
        try:
            data = loads(event.data)
        except ValueError:
            raise APIResponseValidationError(
                f"event {event.event!r} of the {response.status_code} response: the data is not JSON: "
                f"{event.data[:80]!r}",
                response=response,
                body=event.data,
            ) from None
        return self.item.build(data, response, options, where=f" (event {event.event!r})")


class _Events(Generic[T]):
    def __init__(self, response: httpx.Response, body: _StreamBody, options: ParseOptions) -> None:
        self.response = response
        self._body = body
        self._options = options
        self._decoder = body.decoder()

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event that named one (to resume with a `Last-Event-ID` header)."""
        return self._decoder.last_event_id if isinstance(self._decoder, EventDecoder) else None

    @property
    def retry(self) -> int | None:
        """The server's reconnection hint, in milliseconds, when it sent one."""
        return self._decoder.retry if isinstance(self._decoder, EventDecoder) else None


class Stream(_Events[T]):
    """The events of a `text/event-stream` response (or the records of a JSON sequence), parsed
    as they arrive. Close it (or use `with`) when you stop early; reading to the end closes it too."""

    def __iter__(self) -> Iterator[T]:
        try:
            with reading(self.response.request):
                for chunk in self.response.iter_bytes():
                    for event in self._decoder.feed(chunk):
                        yield self._body.decode(event, self.response, self._options)
                for event in self._decoder.finish():
                    yield self._body.decode(event, self.response, self._options)
        finally:
            self.close()

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(_Events[T]):
    """`Stream` for `AsyncClient`: `async for`, `async with`, `await close()`."""

    async def __aiter__(self) -> AsyncIterator[T]:
        try:
            with reading(self.response.request):
                async for chunk in self.response.aiter_bytes():
                    for event in self._decoder.feed(chunk):
                        yield self._body.decode(event, self.response, self._options)
                for event in self._decoder.finish():
                    yield self._body.decode(event, self.response, self._options)
        finally:
            await self.close()

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
