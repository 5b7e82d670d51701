"""Request bodies on their own: validation first, then JSON, form or multipart bytes."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import logging
from collections.abc import Sequence
from enum import Enum
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl

import pytest
from pydantic import BaseModel, ConfigDict, Field

from generator.runtime._runtime.bodies import (
    EncodedBody,
    accept_any,
    form_body,
    json_body,
    model_validator,
    multipart_body,
)
from generator.runtime._runtime.checks import Issue
from generator.runtime.errors import IssueLike, RequestValidationError

LOG = logging.getLogger("tests.runtime.bodies")


class Session(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    title: str
    start_date_time: str | None = Field(None, alias="startDateTime")
    capacity: int | None = None


class Colour(Enum):
    RED = "red"


class Finding:
    """A validator that reports the same issues whatever the body, and records what it saw."""

    def __init__(self, *issues: Issue) -> None:
        self.issues = list(issues)
        self.seen: list[object] = []

    def __call__(self, data: object) -> Sequence[IssueLike]:
        self.seen.append(data)
        return self.issues


def parts(body: EncodedBody) -> list[Any]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + body.content_type.encode() + b"\r\n\r\n" + body.data
    )
    assert message.is_multipart()
    return list(message.iter_parts())


def test_json_of_a_mapping_is_sent_as_given() -> None:
    body = {"title": "x", "unknown": {"nested": [1, None]}, "capacity": None, "é": "ü"}
    encoded = json_body(body, accept_any, LOG)
    assert encoded.content_type == "application/json"
    assert json.loads(encoded.data) == body
    assert encoded.data == '{"title":"x","unknown":{"nested":[1,null]},"capacity":null,"é":"ü"}'.encode()


def test_json_of_a_model_uses_wire_names_and_leaves_out_unset_fields() -> None:
    encoded = json_body(Session(title="x", start_date_time="2025-01-01T00:00:00Z"), accept_any, LOG)
    assert json.loads(encoded.data) == {"title": "x", "startDateTime": "2025-01-01T00:00:00Z"}


def test_json_of_other_shapes() -> None:
    assert json_body(MappingProxyType({"a": 1}), accept_any, LOG).data == b'{"a":1}'
    assert json_body(Colour.RED, accept_any, LOG).data == b'"red"'
    assert json_body([1, 2], accept_any, LOG).data == b"[1,2]"


@pytest.mark.parametrize("body", [{"n": float("nan")}, {"when": object()}])
def test_what_json_cannot_say_is_refused(body: object) -> None:
    with pytest.raises(RequestValidationError) as caught:
        json_body(body, accept_any, LOG)
    assert caught.value.issues[0].keyword == "type"


def test_the_validator_sees_the_wire_data() -> None:
    validate = Finding()
    json_body(Session(title="x", capacity=3), validate, LOG)
    assert validate.seen == [{"title": "x", "capacity": 3}]


def test_errors_block_and_warnings_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    error = Issue("/title", "maxLength", "is longer than 3 characters")
    warning = Issue("", "x-rules/soon", "starts soon", "warning")
    with pytest.raises(RequestValidationError) as caught:
        json_body({"title": "long"}, Finding(error, warning), LOG)
    assert caught.value.issues == [error, warning]
    assert caught.value.errors == [error]
    with caplog.at_level(logging.WARNING, logger=LOG.name):
        encoded = json_body({"title": "ok"}, Finding(warning), LOG)
    assert encoded.data == b'{"title":"ok"}'
    assert "request body: (body): starts soon [x-rules/soon]" in caplog.text


def test_model_validator_reports_pydantic_errors_as_issues() -> None:
    validate = model_validator(Session)
    assert validate({"title": "x", "startDateTime": None}) == []
    issues = validate({"capacity": "many"})
    assert {(issue.pointer, issue.keyword) for issue in issues} == {("/title", "missing"), ("/capacity", "int_parsing")}


def test_form_fields() -> None:
    body = {"name": "a b&c", "flag": True, "gone": None, "tags": ["x", "y"], "meta": {"k": 1}, "n": 2.5}
    encoded = form_body(body, accept_any, LOG)
    assert encoded.content_type == "application/x-www-form-urlencoded"
    assert parse_qsl(encoded.data.decode("ascii")) == [
        ("name", "a b&c"),
        ("flag", "true"),
        ("tags", "x"),
        ("tags", "y"),
        ("meta", '{"k":1}'),
        ("n", "2.5"),
    ]


@pytest.mark.parametrize("encode", [form_body, multipart_body])
def test_form_and_multipart_bodies_must_be_objects(encode: Any) -> None:
    with pytest.raises(RequestValidationError, match="must be an object"):
        encode(["a"], accept_any, LOG)


def test_multipart_file_and_text_parts() -> None:
    body = {
        "file": ("report.csv", b"a,b\n"),
        "raw": b"\x00\x01",
        "opened": io.BytesIO(b"data"),
        "typed": ("photo", "text content", "image/png"),
        "note": "hello",
        "count": 3,
        "skip": None,
    }
    encoded = multipart_body(body, accept_any, LOG)
    assert encoded.content_type.startswith("multipart/form-data; boundary=")
    found = [(p.get_param("name", header="content-disposition"), p.get_filename(), p.get_content_type(),
              p.get_payload(decode=True)) for p in parts(encoded)]  # fmt: skip
    assert found == [
        ("file", "report.csv", "text/csv", b"a,b\n"),
        ("raw", "raw", "application/octet-stream", b"\x00\x01"),
        ("opened", "opened", "application/octet-stream", b"data"),
        ("typed", "photo", "image/png", b"text content"),
        ("note", None, "text/plain", b"hello"),
        ("count", None, "text/plain", b"3"),
    ]


def test_multipart_without_files_is_still_multipart_and_lists_are_one_part_each() -> None:
    encoded = multipart_body({"a": "1", "files": [b"x", ("y.txt", b"y")]}, accept_any, LOG)
    assert [
        (p.get_param("name", header="content-disposition"), p.get_payload(decode=True)) for p in parts(encoded)
    ] == [
        ("a", b"1"),
        ("files", b"x"),
        ("files", b"y"),
    ]


def test_multipart_names_are_escaped_like_html_forms() -> None:
    encoded = multipart_body({'we"ird\\': ('a"b\n.txt', b"x")}, accept_any, LOG)
    assert b'name="we%22ird\\\\"; filename="a%22b%0A.txt"' in encoded.data


def test_multipart_validators_see_files_as_strings() -> None:
    validate = Finding()
    multipart_body({"file": b"x", "files": [b"y", "z"], "note": "n"}, validate, LOG)
    assert validate.seen == [{"file": "", "files": ["", "z"], "note": "n"}]


def test_a_multipart_model_body_keeps_its_bytes() -> None:
    class Upload(BaseModel):
        file: bytes
        note: str | None = None

    found = parts(multipart_body(Upload(file=b"\xff"), accept_any, LOG))
    assert [(p.get_filename(), p.get_payload(decode=True)) for p in found] == [("file", b"\xff")]


def test_a_body_nested_beyond_what_the_validator_can_walk_is_refused_not_a_recursion_error() -> None:
    import sys

    def walk(data: object) -> list[Issue]:  # walks nested lists as a compiled validator walks a recursive schema
        return [issue for item in data for issue in walk(item)] if isinstance(data, list) else []

    body: list[Any] = []
    for _ in range(sys.getrecursionlimit()):
        body = [body]
    with pytest.raises(RequestValidationError) as raised:
        json_body(body, walk, LOG)
    assert [(i.pointer, i.keyword) for i in raised.value.issues] == [("", "x-depth")]
