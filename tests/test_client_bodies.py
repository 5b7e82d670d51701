"""Request bodies beyond JSON: form-urlencoded and multipart bodies are sent as the spec says."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qsl

import httpx
import pytest
from client_support import generated_package

SPEC = Path(__file__).resolve().parent / "data" / "client" / "uploads.yaml"


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "uploads") as package:
        yield package


def recording_client(uploads: ModuleType, status: int, body: object = None) -> tuple[object, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(status, json=body) if body is not None else httpx.Response(status)

    return uploads.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler))), sent


def test_form_body_is_urlencoded(uploads: ModuleType) -> None:
    client, sent = recording_client(uploads, 204)
    client.log_in(body={"username": "ada", "password": "s3cret & more", "remember": True, "scopes": ["a", "b"]})
    (request,) = sent
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(request.content.decode()) == [
        ("username", "ada"),
        ("password", "s3cret & more"),
        ("remember", "true"),
        ("scopes", "a"),
        ("scopes", "b"),
    ]


def test_invalid_form_body_is_refused_before_sending(uploads: ModuleType) -> None:
    client, sent = recording_client(uploads, 204)
    with pytest.raises(uploads.RequestValidationError) as raised:
        client.log_in(body={"username": ""})
    assert {(issue.pointer, issue.keyword) for issue in raised.value.issues} == {
        ("", "required"),
        ("/username", "minLength"),
    }
    assert sent == []


def test_multipart_body_has_file_and_text_parts(uploads: ModuleType) -> None:
    client, sent = recording_client(uploads, 201, {"id": 7})
    result = client.upload_file(
        body={"file": ("photo.png", b"\x89PNG..", "image/png"), "caption": "hi", "tags": ["x", "y"]}
    )
    assert result.id == 7
    (request,) = sent
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    payload = request.content
    assert b'name="file"; filename="photo.png"' in payload
    assert b"Content-Type: image/png" in payload and b"\x89PNG.." in payload
    assert b'name="caption"\r\n\r\nhi' in payload
    assert payload.count(b'name="tags"') == 2


def test_multipart_still_validates_text_parts(uploads: ModuleType) -> None:
    client, sent = recording_client(uploads, 201, {"id": 7})
    with pytest.raises(uploads.RequestValidationError) as raised:
        client.upload_file(body={"file": b"data", "caption": "far too long a caption"})
    assert [(issue.pointer, issue.keyword) for issue in raised.value.issues] == [("/caption", "maxLength")]
    assert sent == []


def parts(request: httpx.Request) -> list[tuple[str, str | None, bytes]]:
    """(name, filename, content) of each part of a multipart request, read with the stdlib."""
    import email.parser
    import email.policy

    content_type = request.headers["Content-Type"]
    if request.content == f"--{content_type.split('boundary=')[1]}--\r\n".encode():
        return []  # no part: only the closing delimiter
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    assert message.is_multipart()
    return [
        (str(part.get_param("name", header="content-disposition")), part.get_filename(), part.get_payload(decode=True))
        for part in message.iter_parts()
    ]


def test_multipart_without_any_file_part_is_still_multipart(uploads: ModuleType) -> None:
    # httpx alone sends text-only fields urlencoded, and an empty body with no Content-Type
    # (the runtime crashed with KeyError: 'Content-Type').
    client, sent = recording_client(uploads, 204)
    client.create_skill(body={})
    client.create_skill(body={"display_title": 'Say "hi"', "files": None})
    empty, titled = sent
    for request in sent:
        assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert parts(empty) == []
    assert parts(titled) == [("display_title", None, b'Say "hi"')]


def test_multipart_array_of_files_is_one_part_per_file(uploads: ModuleType) -> None:
    client, sent = recording_client(uploads, 204)
    client.create_skill(
        body={"files": [("SKILL.md", b"# skill", "text/markdown"), ("notes.txt", b"n"), b"raw"], "display_title": "x"}
    )
    (request,) = sent
    assert parts(request) == [
        ("files", "SKILL.md", b"# skill"),
        ("files", "notes.txt", b"n"),
        ("files", "files", b"raw"),
        ("display_title", None, b"x"),
    ]
    assert b"Content-Type: text/markdown" in request.content and b"Content-Type: text/plain" in request.content


def test_generated_package_type_checks(uploads: ModuleType) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "uploads"],
        capture_output=True,
        text=True,
        check=False,
        cwd=uploads.out_dir,
    )
    assert result.returncode == 0, result.stdout
