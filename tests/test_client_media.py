"""Bodies that are not JSON, against a real server on 127.0.0.1, sync and async
(`tests/data/client/media.yaml`).

- PDF and octet-stream responses are `bytes`, text/plain is `str`; `Accept` names what the
  spec documents; a JSON error body still parses into its error model.
- Raw request bodies (bytes, str for text, a file, an iterator) are sent as they are; a
  seekable file is sent whole again on a retry, an iterator is not retried.
- `with_streaming_response`: the body is read as it arrives. A download much larger than
  the memory the test allows keeps the process's resident memory bounded; a body the server
  cuts short raises `APIConnectionError`; leaving the block closes the connection.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from client_support import FLAVOURS, ROOT, generated_package
from local_server import LocalServer, Reply, Request, json_reply

SPEC = ROOT / "tests" / "data" / "client" / "media.yaml"
PDF = b"%PDF-1.7\n\x00\xff\xfe binary \r\n" * 10
MB = 1024 * 1024
# The streamed download is this much larger than the resident memory it may add.
DOWNLOAD_BYTES = 256 * MB
RSS_BOUND = 48 * MB


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "media") as package:
        package._runtime.retries.INITIAL_RETRY_DELAY = 0.01
        yield package


def run(flavour: str, media: ModuleType, url: str, method: str, **arguments: Any) -> Any:
    options = arguments.pop("client_options", {})
    if flavour == "sync":
        with media.Client(base_url=url, **options) as client:
            return getattr(client, method)(**arguments)

    async def main() -> Any:
        async with media.AsyncClient(base_url=url, **options) as client:
            return await getattr(client, method)(**arguments)

    return asyncio.run(main())


def files(request: Request) -> Reply:
    if request.route.startswith("/reports/"):
        if request.route.endswith("/missing"):
            return json_reply(json.dumps({"message": "no such report"}), 404)
        return Reply(200, {"Content-Type": "application/pdf"}, PDF)
    if request.route.startswith("/notes/"):
        if request.method == "PUT":
            return Reply(204)
        return Reply(200, {"Content-Type": "text/plain; charset=utf-8"}, "grüße\nline two\r\nthree".encode())
    if request.route == "/table":
        return json_reply(json.dumps([{"a": 1}]))
    if request.method == "PUT":
        body = request.body
        return json_reply(json.dumps({"size": len(body), "sha256": hashlib.sha256(body).hexdigest()}))
    return Reply(200, {"Content-Type": "application/octet-stream"}, bytes(range(256)) * 4)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_binary_and_text_responses(flavour: str, media: ModuleType) -> None:
    with LocalServer(files) as server:
        assert run(flavour, media, server.url, "download_report", id="r1") == PDF
        assert run(flavour, media, server.url, "get_note", id="n1") == "grüße\nline two\r\nthree"
        assert run(flavour, media, server.url, "download_file", id="f1") == bytes(range(256)) * 4
        assert run(flavour, media, server.url, "get_table").model_dump() == [{"a": 1}]
        with pytest.raises(media.NotFoundError) as caught:
            run(flavour, media, server.url, "download_report", id="missing")
    assert caught.value.error == media.models.Problem(message="no such report")
    accepts = [request.header("accept") for request in server.requests]
    assert accepts[:4] == [
        "application/pdf, application/json",
        "text/plain",
        "application/octet-stream",
        "application/json",
    ]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_raw_request_bodies_are_sent_as_they_are(flavour: str, media: ModuleType, tmp_path: Path) -> None:
    payload = os.urandom(300_000)
    path = tmp_path / "upload.bin"
    path.write_bytes(b"skip" + payload)

    def chunks() -> Iterator[bytes]:
        yield payload[:1000]
        yield payload[1000:]

    async def async_chunks() -> AsyncIterator[bytes]:
        yield payload[:5]
        yield payload[5:]

    expected = {"size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}
    with LocalServer(files) as server:
        bodies: list[Any] = [payload, bytearray(payload), chunks()]
        if flavour == "async":
            bodies.append(async_chunks())
        for body in bodies:
            stored = run(flavour, media, server.url, "upload_file", id="f", body=body)
            assert stored.model_dump() == expected
        with path.open("rb") as handle:
            handle.read(4)  # a file is sent from where it stands
            assert run(flavour, media, server.url, "upload_file", id="f", body=handle).size == len(payload)
        run(flavour, media, server.url, "put_note", id="n", body="grüße")
    uploads = [r for r in server.requests if r.method == "PUT" and r.route.startswith("/files/")]
    assert all(r.header("content-type") == "application/octet-stream" for r in uploads)
    assert uploads[0].header("content-length") == str(len(payload))
    assert uploads[2].header("transfer-encoding") == "chunked"
    assert uploads[-1].header("content-length") == str(len(payload))  # a file's size is known
    note = server.requests[-1]
    assert note.body == "grüße".encode() and note.header("content-type") == "text/plain"


def test_a_raw_body_of_another_type_is_refused_before_sending(media: ModuleType) -> None:
    with media.Client(base_url="http://127.0.0.1:9") as client:
        for body in ({"a": 1}, 42, None):
            with pytest.raises(media.RequestValidationError, match="must be bytes, a file opened in binary mode"):
                client.upload_file(id="f", body=body)

    async def parts() -> AsyncIterator[bytes]:
        yield b"x"

    with (
        LocalServer(files) as server,
        media.Client(base_url=server.url) as client,
        pytest.raises(media.RequestValidationError, match="async iterator body needs the AsyncClient"),
    ):
        client.upload_file(id="f", body=parts())
    assert server.requests == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_seekable_file_is_sent_whole_on_a_retry_and_an_iterator_is_not_retried(
    flavour: str, media: ModuleType
) -> None:
    attempts: list[bytes] = []

    def flaky(request: Request) -> Reply:
        attempts.append(request.body)
        if len(attempts) % 2 == 1:
            return json_reply("{}", 503)
        return files(request)

    with LocalServer(flaky) as server:
        stored = run(flavour, media, server.url, "upload_file", id="f", body=io.BytesIO(b"abcdef"))
        assert stored.size == 6 and attempts == [b"abcdef", b"abcdef"]
        with pytest.raises(media.InternalServerError):
            run(flavour, media, server.url, "upload_file", id="f", body=iter([b"ab", b"cd"]))
    assert attempts[2:] == [b"abcd"]


# ---------------------------------------------------------------------------- streaming responses


def current_rss() -> int:
    """This process's resident memory now, in bytes (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def endless(total: int) -> Iterator[bytes]:
    chunk = b"\xab" * (256 * 1024)
    for _ in range(total // len(chunk)):
        yield chunk


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads resident memory from /proc")
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_streamed_download_larger_than_the_memory_bound(flavour: str, media: ModuleType) -> None:
    def big(request: Request) -> Reply:
        return Reply(200, {"Content-Type": "application/octet-stream"}, chunks=endless(DOWNLOAD_BYTES))

    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], current_rss())
            time.sleep(0.005)

    received = 0
    with LocalServer(big) as server:
        baseline = current_rss()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            if flavour == "sync":
                with (
                    media.Client(base_url=server.url) as client,
                    client.with_streaming_response.download_file(id="big") as response,
                ):
                    assert response.status_code == 200
                    for chunk in response.iter_bytes():
                        received += len(chunk)
            else:

                async def main() -> int:
                    total = 0
                    async with (
                        media.AsyncClient(base_url=server.url) as client,
                        client.with_streaming_response.download_file(id="big") as response,
                    ):
                        async for chunk in response.aiter_bytes():
                            total += len(chunk)
                    return total

                received = asyncio.run(main())
        finally:
            stop.set()
            sampler.join()
    grown = peak[0] - baseline
    print(f"\n{flavour}: streamed {received // MB} MB, resident memory grew {grown / MB:.1f} MB")
    assert received == DOWNLOAD_BYTES
    assert grown < RSS_BOUND, f"resident memory grew {grown / MB:.1f} MB while streaming {DOWNLOAD_BYTES // MB} MB"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_streamed_read_parse_and_lines(flavour: str, media: ModuleType) -> None:
    with LocalServer(files) as server:
        if flavour == "sync":
            with media.Client(base_url=server.url) as client:
                with client.with_streaming_response.get_note(id="n") as response:
                    lines = list(response.iter_lines())
                with client.with_streaming_response.download_report(id="r") as response:
                    assert response.read() == PDF and response.parse() == PDF
                with client.with_streaming_response.get_table() as response:
                    table = response.parse()
                    assert repr(response).startswith("<StreamedAPIResponse [200] GET /table")
        else:

            async def main() -> tuple[list[str], Any]:
                async with (
                    media.AsyncClient(base_url=server.url) as client,
                    client.with_streaming_response.get_note(id="n") as response,
                ):
                    found = [line async for line in response.aiter_lines()]
                    async with client.with_streaming_response.download_report(id="r") as response:
                        assert await response.read() == PDF and await response.parse() == PDF
                    async with client.with_streaming_response.get_table() as response:
                        return found, await response.parse()

            lines, table = asyncio.run(main())
    assert lines == ["grüße", "line two", "three"]
    assert table.model_dump() == [{"a": 1}]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_streamed_error_status_raises_on_entering(flavour: str, media: ModuleType) -> None:
    with LocalServer(files) as server, pytest.raises(media.NotFoundError) as caught:
        if flavour == "sync":
            with (
                media.Client(base_url=server.url) as client,
                client.with_streaming_response.download_report(id="missing"),
            ):
                pass
        else:

            async def main() -> None:
                async with (
                    media.AsyncClient(base_url=server.url) as client,
                    client.with_streaming_response.download_report(id="missing"),
                ):
                    pass

            asyncio.run(main())
    assert caught.value.error is not None and caught.value.error.message == "no such report"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_body_cut_short_raises_a_connection_error(flavour: str, media: ModuleType) -> None:
    def cut(request: Request) -> Reply:
        return Reply(200, {"Content-Type": "application/octet-stream"}, chunks=[b"a" * 1000, b"b" * 1000], cut=True)

    received = bytearray()
    with LocalServer(cut) as server, pytest.raises(media.APIConnectionError, match="broke while the body was read"):
        if flavour == "sync":
            with (
                media.Client(base_url=server.url) as client,
                client.with_streaming_response.download_file(id="f") as response,
            ):
                for chunk in response.iter_bytes():
                    received += chunk
        else:

            async def main() -> None:
                async with (
                    media.AsyncClient(base_url=server.url) as client,
                    client.with_streaming_response.download_file(id="f") as response,
                ):
                    async for chunk in response.aiter_bytes():
                        received.extend(chunk)

            asyncio.run(main())
    assert bytes(received) == b"a" * 1000 + b"b" * 1000
    assert len(server.requests) == 1  # a body already started is never retried


def test_leaving_the_block_closes_the_connection_unread(media: ModuleType) -> None:
    def big(request: Request) -> Reply:
        return Reply(200, {"Content-Type": "application/octet-stream"}, chunks=endless(64 * MB))

    with LocalServer(big) as server, media.Client(base_url=server.url) as client:
        started = time.monotonic()
        with client.with_streaming_response.download_file(id="f") as response:
            first = next(response.iter_bytes())
        assert first and response.http_response.is_closed
        assert time.monotonic() - started < 5
