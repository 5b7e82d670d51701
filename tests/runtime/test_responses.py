"""Response parsing on its own: the documented model per status, and what a mismatch says."""

from __future__ import annotations

from enum import Enum
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from generator.runtime._runtime.responses import APIResponse, ResponseSpec, json_or_text
from generator.runtime.errors import APIResponseValidationError

REQUEST = httpx.Request("GET", "https://shop.com/v1/items/7?x=1")


class Item(BaseModel):
    id: int
    name: str


class Problem(BaseModel):
    message: str


class Size(Enum):
    SMALL = "S"
    LARGE = "L"


def response(status: int = 200, **content: Any) -> httpx.Response:
    return httpx.Response(status, request=REQUEST, **content)


def test_each_status_parses_into_its_model() -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: Item, 202: "json", 204: None}, fallback="json")
    item = spec.parse(response(200, json={"id": 7, "name": "lamp", "extra": True}))
    assert item == Item(id=7, name="lamp")
    assert spec.parse(response(202, json=[1, {"a": None}])) == [1, {"a": None}]
    assert spec.parse(response(204)) is None
    assert spec.parse(response(201, json={"anything": 1})) == {"anything": 1}  # the fallback


def test_an_enum_body_parses_into_its_member() -> None:
    spec: ResponseSpec[Size] = ResponseSpec(success={200: Size}, fallback=None)
    assert spec.parse(response(json="L")) is Size.LARGE
    with pytest.raises(APIResponseValidationError, match=r"'XL' is not one of 'S', 'L'") as caught:
        spec.parse(response(json="XL"))
    assert caught.value.body == "XL"


@pytest.mark.parametrize("target", [Item, "json", Size])
def test_a_body_that_is_not_json(target: Any) -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: target}, fallback=None)
    with pytest.raises(APIResponseValidationError) as caught:
        spec.parse(response(200, text="<html>down</html>", headers={"content-type": "text/html"}))
    assert "expected a JSON" in str(caught.value)
    assert "text/html: '<html>down</html>'" in str(caught.value)
    assert caught.value.status_code == 200
    assert caught.value.body == "<html>down</html>"


def test_an_empty_body_is_described_as_such() -> None:
    spec: ResponseSpec[Item] = ResponseSpec(success={200: Item}, fallback=None)
    with pytest.raises(APIResponseValidationError, match="no content type and an empty body"):
        spec.parse(response(200))


def test_a_mismatch_names_the_model_and_the_first_five_problems() -> None:
    spec: ResponseSpec[Any] = ResponseSpec(success={200: Item}, fallback=None)
    with pytest.raises(APIResponseValidationError) as caught:
        spec.parse(response(json={"id": "seven"}))
    message = str(caught.value)
    assert message.startswith("the 200 response does not match Item: id: ")
    assert "name: Field required" in message
    assert caught.value.body == {"id": "seven"}

    class Wide(BaseModel):
        a: int
        b: int
        c: int
        d: int
        e: int
        f: int
        g: int

    wide: ResponseSpec[Any] = ResponseSpec(success={200: Wide}, fallback=None)
    with pytest.raises(APIResponseValidationError, match=r"\(and 2 more\)$"):
        wide.parse(response(json={}))


def test_error_targets_exact_then_range_then_default() -> None:
    spec: ResponseSpec[Any] = ResponseSpec(
        success={200: Item}, fallback=None, errors={404: None}, error_ranges={4: Problem}, error_default="json"
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
    api_response: APIResponse[Any] = APIResponse(raw, ResponseSpec(success={200: Item}, fallback=None), 2)
    assert api_response.status_code == 200
    assert api_response.headers["x-request-id"] == "r1"
    assert api_response.request is REQUEST
    assert api_response.json() == {"id": 1, "name": "x"}
    assert api_response.content == b'{"id":1,"name":"x"}'
    assert api_response.parse() == Item(id=1, name="x")
    assert api_response.retries_taken == 2
    assert repr(api_response) == "<APIResponse [200] GET /v1/items/7>"
