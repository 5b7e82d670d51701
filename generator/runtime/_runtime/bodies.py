"""Request bodies: validated, then encoded as JSON, a urlencoded form or multipart/form-data;
or, for any other media type, sent as they are.

A model goes out with its wire names and without the fields nobody set; a mapping goes
out exactly as given. Every structured body is checked first (by the package's compiled
validators, or its pydantic models): an error raises `RequestValidationError` and nothing is
sent. A raw body (`application/octet-stream`, images, text, ...) is bytes, a file object or an
iterator of bytes, streamed as it is read (`RawStream`).
"""

from __future__ import annotations

import json
import logging
import mimetypes
import os
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from enum import Enum
from typing import IO, NamedTuple, cast
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ValidationError

from ..errors import RequestValidationError
from .checks import Issue, Validator


class EncodedBody(NamedTuple):
    """A request body on the wire: its bytes (or a stream of them) and their Content-Type."""

    data: bytes | RawStream
    content_type: str


def _checked(body: object, validate: Validator, logger: logging.Logger, *, json_mode: bool = True) -> object:
    """The body as plain data, after validation: RequestValidationError and nothing sent.

    A model goes out with its wire names and without the fields nobody set; a mapping goes
    out exactly as given (members the models do not know and explicit nulls included).
    Warnings are logged, never raised.
    """
    if type(body) is dict:
        data: object = body
    elif isinstance(body, BaseModel):
        data = body.model_dump(mode="json" if json_mode else "python", by_alias=True, exclude_unset=True)
    elif isinstance(body, Mapping) and not isinstance(body, dict):
        data = dict(body)  # a read-only or custom mapping: same members, a type JSON knows
    elif isinstance(body, Enum):
        data = body.value  # a member of an enum schema's class: its value, as on the wire
    else:
        data = body
    try:
        issues = validate(_without_files(data) if not json_mode else data)
    except RecursionError:  # nested beyond what the recursion limit lets the validator walk
        raise RequestValidationError([Issue("", "x-depth", "nested too deeply to check before sending")]) from None
    if issues:
        if any(issue.severity == "error" for issue in issues):
            raise RequestValidationError(issues)
        for issue in issues:
            logger.warning("request body: %s: %s [%s]", issue.pointer or "(body)", issue.message, issue.keyword)
    return data


def json_body(body: object, validate: Validator, logger: logging.Logger) -> EncodedBody:
    """An `application/json` body."""
    data = _checked(body, validate, logger)
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        raise RequestValidationError([Issue("", "type", f"not JSON: {error}")]) from None
    return EncodedBody(text.encode("utf-8"), "application/json")


def _form_text(value: object) -> str:
    """A form field's text: JSON spelling for booleans, nulls and nested values."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _form_fields(data: object) -> list[tuple[str, str]]:
    if not isinstance(data, Mapping):
        raise RequestValidationError([Issue("", "type", "a form body must be an object")])
    fields: list[tuple[str, str]] = []
    for name, value in data.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        fields.extend((str(name), _form_text(item)) for item in values)  # arrays: style=form, explode
    return fields


def form_body(body: object, validate: Validator, logger: logging.Logger) -> EncodedBody:
    """An `application/x-www-form-urlencoded` body."""
    data = _checked(body, validate, logger)
    return EncodedBody(urlencode(_form_fields(data)).encode("ascii"), "application/x-www-form-urlencoded")


def _is_file(value: object) -> bool:
    """Bytes, an open file, or a (filename, content[, content type]) tuple: a multipart file part."""
    return (
        isinstance(value, bytes | bytearray)
        or hasattr(value, "read")
        or (isinstance(value, tuple) and len(value) in (2, 3) and isinstance(value[0], str | None))
    )


def _without_files(data: object) -> object:
    """What the validators see of a multipart body: each file part stands as a string (`format: binary`)."""
    if not isinstance(data, Mapping):
        return data
    return {
        name: [("" if _is_file(item) else item) for item in value]
        if isinstance(value, list)
        else ("" if _is_file(value) else value)
        for name, value in data.items()
    }


def multipart_body(body: object, validate: Validator, logger: logging.Logger) -> EncodedBody:
    """A `multipart/form-data` body: file parts for bytes/files, text parts for the rest.

    Always multipart, even with no file part at all (httpx would send only text fields
    urlencoded); a list gives one part per item, files included (an array of `binary`).
    """
    data = _checked(body, validate, logger, json_mode=False)
    if not isinstance(data, Mapping):
        raise RequestValidationError([Issue("", "type", "a multipart body must be an object")])
    boundary = uuid.uuid4().hex
    out = bytearray()
    for name, value in data.items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            out += f"--{boundary}\r\n".encode()
            disposition = f'Content-Disposition: form-data; name="{_form_param(str(name))}"'
            if _is_file(item):
                filename, content, content_type = _file_part(str(name), item)
                if filename is not None:
                    disposition += f'; filename="{_form_param(filename)}"'
                out += f"{disposition}\r\nContent-Type: {content_type}\r\n\r\n".encode()
                out += content
            else:
                out += f"{disposition}\r\n\r\n".encode() + _form_text(item).encode()
            out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return EncodedBody(bytes(out), f"multipart/form-data; boundary={boundary}")


def _form_param(text: str) -> str:
    """A name or filename inside a Content-Disposition header, escaped as HTML forms (and httpx) do."""
    text = text.replace("\\", "\\\\").replace('"', "%22")
    return "".join(f"%{ord(c):02X}" if ord(c) < 0x20 and c != "\x1b" else c for c in text)


def _file_part(name: str, value: object) -> tuple[str | None, bytes, str]:
    """(filename, content, content type) of a file part: bytes, an open file, or a tuple."""
    filename: str | None = name
    content_type: str | None = None
    content: object = value
    if isinstance(value, tuple):
        filename, content = value[0], value[1]
        content_type = value[2] if len(value) == 3 else None
    if hasattr(content, "read"):
        content = content.read()
    if isinstance(content, str):
        content = content.encode()
    if not content_type:
        guessed = mimetypes.guess_type(filename)[0] if filename else None
        content_type = guessed or "application/octet-stream"
    return filename, bytes(cast(bytes, content)), str(content_type)


def model_validator(model: type[BaseModel]) -> Validator:
    """A body check by the pydantic model, for packages built without compiled validators."""

    def validate(data: object) -> list[Issue]:
        try:
            model.model_validate(data, by_alias=True)
        except ValidationError as error:
            return [
                Issue("".join(f"/{part}" for part in item["loc"]), item["type"], item["msg"])
                for item in error.errors(include_url=False)
            ]
        return []

    return validate


def accept_any(data: object) -> list[Issue]:
    """The check of a body the spec gives no schema."""
    return []


RawContent = bytes | bytearray | memoryview | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes]
"""What a raw request body may be: bytes, a file opened in binary mode, or an (async) iterator of bytes."""


class RawStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A raw request body read while it is sent, by either client flavour.

    A seekable file goes back to where it stood before each attempt, so a retry sends it
    whole again; an iterator can be sent once (`replayable` turns false once it started).
    The async client reads a file with blocking reads; give it an async iterator to avoid that.
    """

    CHUNK_SIZE = 65_536

    def __init__(self, source: object) -> None:
        self._source = source
        self._start: int | None = None
        self._started = False
        seekable = getattr(source, "seekable", None)
        if callable(seekable) and seekable():
            self._start = cast(IO[bytes], source).tell()

    @property
    def needs_async(self) -> bool:
        """Whether only an async client can read it (an async iterator)."""
        source = self._source
        return isinstance(source, AsyncIterable) and not isinstance(source, Iterable) and not hasattr(source, "read")

    @property
    def replayable(self) -> bool:
        """Whether the body can be sent (again): not yet started, or a seekable file."""
        return not self._started or self._start is not None

    @property
    def length(self) -> int | None:
        """The bytes left to send when known (a regular file), else None (sent chunked)."""
        if self._start is None:
            return None
        try:
            return os.fstat(cast(IO[bytes], self._source).fileno()).st_size - self._start
        except (AttributeError, OSError, ValueError):
            source = cast(IO[bytes], self._source)
            end = source.seek(0, os.SEEK_END)
            source.seek(self._start)
            return end - self._start

    def _begin(self) -> None:
        if self._started and self._start is None:
            raise RequestValidationError(
                [Issue("", "type", "the body (an iterator) was sent once already and cannot be sent again")]
            )
        self._started = True
        if self._start is not None:
            cast(IO[bytes], self._source).seek(self._start)

    def __iter__(self) -> Iterator[bytes]:
        self._begin()
        source = self._source
        if hasattr(source, "read"):
            while chunk := cast(IO[bytes], source).read(self.CHUNK_SIZE):
                yield _chunk_bytes(chunk)
        elif isinstance(source, Iterable):
            for chunk in source:
                yield _chunk_bytes(chunk)
        else:
            raise RequestValidationError([Issue("", "type", "an async iterator body needs the AsyncClient")])

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self._begin()
        source = self._source
        if hasattr(source, "read"):
            while chunk := cast(IO[bytes], source).read(self.CHUNK_SIZE):
                yield _chunk_bytes(chunk)
        elif isinstance(source, AsyncIterable):
            async for chunk in source:
                yield _chunk_bytes(chunk)
        else:
            for chunk in cast(Iterable[bytes], source):
                yield _chunk_bytes(chunk)


def _chunk_bytes(chunk: object) -> bytes:
    if isinstance(chunk, bytes):
        return chunk
    if isinstance(chunk, bytearray | memoryview):
        return bytes(chunk)
    if isinstance(chunk, str):
        return chunk.encode("utf-8")
    raise RequestValidationError([Issue("", "type", f"the body gave a {type(chunk).__name__}, not bytes")])


def raw_body(content_type: str) -> Callable[[object, Validator, logging.Logger], EncodedBody]:
    """The encoder of a body of `content_type` sent as it is (bytes, a file, an iterator of bytes).

    Text is taken as `str` too (sent UTF-8 encoded). Anything else is refused before sending.
    """

    def encode(body: object, validate: Validator, logger: logging.Logger) -> EncodedBody:
        if isinstance(body, bytes):
            return EncodedBody(body, content_type)
        if isinstance(body, bytearray | memoryview):
            return EncodedBody(bytes(body), content_type)
        if isinstance(body, str):
            return EncodedBody(body.encode("utf-8"), content_type)
        if hasattr(body, "read") or (
            isinstance(body, Iterable | AsyncIterable) and not isinstance(body, Mapping | BaseModel)
        ):
            return EncodedBody(RawStream(body), content_type)
        raise RequestValidationError(
            [
                Issue(
                    "",
                    "type",
                    f"a {content_type} body must be bytes, a file opened in binary mode or an iterator of bytes, "
                    f"not {type(body).__name__}",
                )
            ]
        )

    return encode
