"""Response parsing on its own: what each status is read as, the validators' verdict, and how
a response that grew (unknown members, enum values) parses by default and fails when strict."""

from __future__ import annotations

import logging
from enum import Enum
from typing import Any, NamedTuple

import httpx
import pytest
from pydantic import BaseModel, ConfigDict

from generator.runtime._runtime.responses import (
    BYTES,
    JSON,
    TEXT,
    APIResponse,
    Model,
    ParseOptions,
    ResponseSpec,
    json_or_text,
)
from generator.runtime.errors import APIResponseValidationError

REQUEST = httpx.Request("GET", "https://shop.com/v1/items/7?x=1")
STRICT = ParseOptions(strict=True)


class Issue(NamedTuple):
    pointer: str
    keyword: str
    message: str
    severity: str = "error"


class Item(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    name: str


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int


class Problem(BaseModel):
    message: str


class Size(Enum):
    SMALL = "S"
    LARGE = "L"


def check_item(data: Any) -> list[Issue]:
    """A stand-in for a compiled validator: id an integer, name a string, both required."""
    if not isinstance(data, dict):
        return [Issue("", "type", "expected object")]
    issues = [Issue("", "required", f"missing required member {name!r}") for name in ("id", "name") if name not in data]
    if "id" in data and not isinstance(data["id"], int):
        issues.append(Issue("/id", "type", "expected integer"))
    return issues


def check_closed(data: Any) -> list[Issue]:
    return [Issue("", "additionalProperties", f"unexpected member {k!r}") for k in data if k != "id"]


def check_size(data: Any) -> list[Issue]:
    return [] if data in ("S", "L") else [Issue("", "enum", "must be one of 'S', 'L'")]


ITEM = Model(Item, check_item)


def response(status: int = 200, **content: Any) -> httpx.Response:
    return httpx.Response(status, request=REQUEST, **content)


def test_each_status_parses_into_its_target() -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: ITEM, 202: JSON, 204: None}, fallback=JSON)
    item = spec.parse(response(200, json={"id": 7, "name": "lamp"}))
    assert item == Item(id=7, name="lamp")
    assert spec.parse(response(202, json=[1, {"a": None}])) == [1, {"a": None}]
    assert spec.parse(response(204)) is None
    assert spec.parse(response(201, json={"anything": 1})) == {"anything": 1}  # the fallback
    assert spec.accept == "application/json" and not spec.streams


def test_binary_and_text_bodies_come_as_they_are() -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: BYTES, 201: TEXT}, fallback=None, accept="application/pdf")
    assert spec.parse(response(200, content=b"%PDF-1.7\x00\xff")) == b"%PDF-1.7\x00\xff"
    text = response(201, content="grüße".encode("latin-1"), headers={"content-type": "text/plain; charset=latin-1"})
    assert spec.parse(text) == "grüße"
    assert spec.parse(response(201, content="grüße".encode(), headers={"content-type": "text/plain"})) == "grüße"
    assert spec.accept == "application/pdf"


def test_unknown_members_are_kept_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: ITEM}, fallback=None)
    with caplog.at_level(logging.WARNING):
        item = spec.parse(response(json={"id": 1, "name": "x", "colour": "red"}))
    assert item.model_extra == {"colour": "red"}  # an open model: nothing to warn about
    assert not caplog.records

    closed: ResponseSpec[Any] = ResponseSpec(success={200: Model(Closed, check_closed)}, fallback=None)
    logger = logging.getLogger("shop")
    with caplog.at_level(logging.WARNING, logger="shop"):
        model = closed.parse(response(json={"id": 1, "colour": "red"}), ParseOptions(logger=logger))
    assert model.id == 1
    assert model.model_extra == {"colour": "red"}
    assert "unexpected member 'colour' [additionalProperties]" in caplog.text
    assert "GET /v1/items/7: the 200 response has what the spec does not list" in caplog.text
    with pytest.raises(APIResponseValidationError, match="unexpected member 'colour' \\[additionalProperties\\]"):
        closed.parse(response(json={"id": 1, "colour": "red"}), STRICT)


def test_an_unknown_enum_value_is_the_plain_value_unless_strict(caplog: pytest.LogCaptureFixture) -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: Model(Size, check_size)}, fallback=None)
    assert spec.parse(response(json="L")) is Size.LARGE
    with caplog.at_level(logging.WARNING):
        assert spec.parse(response(json="XL")) == "XL"
    assert "must be one of 'S', 'L' [enum]" in caplog.text
    with pytest.raises(APIResponseValidationError, match=r"must be one of 'S', 'L' \[enum\]") as caught:
        spec.parse(response(json="XL"), STRICT)
    assert caught.value.body == "XL"


def test_other_mismatches_always_raise() -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: ITEM}, fallback=None)
    for options in (ParseOptions(), STRICT):
        with pytest.raises(APIResponseValidationError) as caught:
            spec.parse(response(json={"id": "seven", "extra": 1}), options)
        message = str(caught.value)
        assert message.startswith("the 200 response does not match Item: ")
        assert "(root): missing required member 'name' [required]" in message
        assert "/id: expected integer [type]" in message
        assert caught.value.body == {"id": "seven", "extra": 1}


def test_a_mismatch_names_the_first_five_problems() -> None:
    def five_and_more(data: Any) -> list[Issue]:
        return [Issue(f"/{n}", "type", "wrong") for n in range(7)]

    spec: ResponseSpec[Any] = ResponseSpec(success={200: Model(Item, five_and_more)}, fallback=None)
    with pytest.raises(APIResponseValidationError, match=r"\(and 2 more\)$"):
        spec.parse(response(json={}))


def test_where_the_validator_and_the_model_disagree_the_model_error_is_reported() -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: Model(Item, lambda data: [])}, fallback=None)
    with pytest.raises(APIResponseValidationError, match="does not match Item: name: Field required"):
        spec.parse(response(json={"id": 1}))


def test_warnings_of_the_validator_are_no_mismatch() -> None:
    spec: ResponseSpec[Any] = ResponseSpec(
        success={200: Model(Item, lambda data: [Issue("/name", "x-rules/short", "short", "warning")])}, fallback=None
    )
    assert spec.parse(response(json={"id": 1, "name": "x"}), STRICT) == Item(id=1, name="x")


@pytest.mark.parametrize("target", [ITEM, JSON, Model(Size, check_size)])
def test_a_body_that_is_not_json(target: Any) -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: target}, fallback=None)
    with pytest.raises(APIResponseValidationError) as caught:
        spec.parse(response(200, text="<html>down</html>", headers={"content-type": "text/html"}))
    assert "expected a JSON" in str(caught.value)
    assert "text/html: '<html>down</html>'" in str(caught.value)
    assert caught.value.status_code == 200
    assert caught.value.body == "<html>down</html>"


def test_an_empty_body_is_described_as_such() -> None:
    spec: ResponseSpec[Item] = ResponseSpec(success={200: ITEM}, fallback=None)
    with pytest.raises(APIResponseValidationError, match="no content type and an empty body"):
        spec.parse(response(200))


def test_error_targets_exact_then_range_then_default() -> None:
    spec: ResponseSpec[Any] = ResponseSpec(
        success={200: ITEM}, fallback=None, errors={404: None}, error_ranges={4: Problem}, error_default="json"
    )
    assert spec.error_target(404) is None
    assert spec.error_target(422) is Problem
    assert spec.error_target(503) == "json"
    assert ResponseSpec(success={}, fallback=None).error_target(500) is None


def test_json_or_text() -> None:
    assert json_or_text(response(json={"a": 1})) == {"a": 1}
    assert json_or_text(response(text="plain")) == "plain"


def test_api_response() -> None:
    raw = response(200, json={"id": 1, "name": "x"}, headers={"x-request-id": "r1"})
    api_response: APIResponse[Any] = APIResponse(raw, ResponseSpec(success={200: ITEM}, fallback=None), 2)
    assert api_response.status_code == 200
    assert api_response.headers["x-request-id"] == "r1"
    assert api_response.request is REQUEST
    assert api_response.json() == {"id": 1, "name": "x"}
    assert api_response.content == b'{"id":1,"name":"x"}'
    assert api_response.parse() == Item(id=1, name="x")
    assert api_response.parse() is api_response.parse()  # parsed once
    assert api_response.retries_taken == 2
    assert repr(api_response) == "<APIResponse [200] GET /v1/items/7>"
    assert repr(ITEM) == "Model(Item)"


def _walk_depth(data: Any) -> list[Issue]:
    """A validator that walks nested lists as a compiled one walks a recursive schema."""
    return [issue for item in data for issue in _walk_depth(item)] if isinstance(data, list) else []


def test_a_body_nested_beyond_the_recursion_limit_is_a_response_error_not_a_recursion_error() -> None:
    """A hostile or broken server's body nested deeper than Python can decode, or than the
    validator can walk, raises the SDK's APIResponseValidationError (what callers catch)."""
    import sys

    undecodable = b"[" * (sys.getrecursionlimit() * 4) + b"]" * (sys.getrecursionlimit() * 4)
    spec = ResponseSpec(success={200: Model(list, _walk_depth)}, fallback=None)
    with pytest.raises(APIResponseValidationError, match="nested too deeply to decode"):
        spec.parse(response(content=undecodable, headers={"content-type": "application/json"}))
    depth = sys.getrecursionlimit() // 2 + 50  # json decodes it; the validator's walk cannot
    decodable = b"[" * depth + b"]" * depth
    with pytest.raises(APIResponseValidationError, match="nested too deeply to check against"):
        spec.parse(response(content=decodable, headers={"content-type": "application/json"}))
    assert json_or_text(response(content=undecodable)) == undecodable.decode()  # an error body: its text
