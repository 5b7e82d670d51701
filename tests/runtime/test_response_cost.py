"""What keeps a response's parse cheap, without changing what it gives: the body is decoded by
pydantic's JSON parser (json's values and verdicts, json itself where that parser refuses),
the compiled validator runs once, and a valid body is built by the model's validator directly,
with no forgiving pass. Timings are in benchmarks/bench_client.py, not here."""

from __future__ import annotations

import json
import logging
from typing import Any, NamedTuple

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from generator.runtime._runtime import responses
from generator.runtime._runtime.responses import Model, ParseOptions, TooDeep, loads
from generator.runtime.errors import APIResponseValidationError

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


def same(left: Any, right: Any) -> bool:
    """Equal, NaN included (json round-trips it), types too (1 and 1.0 differ here)."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True) and type(left) is type(right)


@settings(max_examples=200, deadline=None)
@given(value=JSON_VALUES, ascii_only=st.booleans())
def test_loads_gives_what_json_gives(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert same(loads(text.encode()), json.loads(text.encode()))
    assert same(loads(text), json.loads(text))


@pytest.mark.parametrize(
    "content",
    [
        b'\xef\xbb\xbf{"a": 1}',  # a byte-order mark
        '{"a": "é"}'.encode("utf-16"),
        b'"\\ud800"',  # a lone surrogate escape
        b"[" * 3000 + b"]" * 3000,  # nesting beyond pydantic's limit
        b"NaN",
        b"123456789012345678901234567890",
    ],
)
def test_loads_falls_back_to_json_where_pydantic_refuses(content: bytes) -> None:
    try:
        expected: Any = json.loads(content)
    except RecursionError:  # json gives up: loads refuses it as text that is not JSON, a ValueError
        with pytest.raises(TooDeep):
            loads(content)
        return
    assert same(loads(content), expected)


@pytest.mark.parametrize("content", [b"", b"{", b"[1,]", b'{"a": 1} x', b'"\xff"'])
def test_what_json_refuses_loads_refuses(content: bytes) -> None:
    with pytest.raises(ValueError):
        json.loads(content)
    with pytest.raises(ValueError):
        loads(content)


class Issue(NamedTuple):
    pointer: str
    keyword: str
    message: str
    severity: str = "error"


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int


REQUEST = httpx.Request("GET", "https://shop.test/items/1")


def test_a_valid_body_takes_one_validator_call_and_no_second_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    def validate(data: Any) -> list[Issue]:
        calls.append(data)
        return [Issue("/colour", "additionalProperties", "unexpected member")] if "colour" in data else []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the slow path ran")

    parser = Model(Item, validate)
    monkeypatch.setattr(responses.json, "loads", refuse)  # pydantic decodes a plain UTF-8 body
    monkeypatch.setattr(Item, "model_validate", classmethod(refuse))  # built by the model's validator directly
    assert parser.parse(httpx.Response(200, content=b'{"id": 1}', request=REQUEST), ParseOptions()) == Item(id=1)
    assert calls == [{"id": 1}]
    monkeypatch.undo()

    calls.clear()
    grown = httpx.Response(200, content=b'{"id": 1, "colour": "red"}', request=REQUEST)
    item = parser.parse(grown, ParseOptions(logger=logging.getLogger("shop")))
    assert item.model_extra == {"colour": "red"}  # the forgiving pass keeps what a closed model does not list
    assert calls == [{"id": 1, "colour": "red"}]  # its issues reused, not asked for again
    with pytest.raises(APIResponseValidationError, match="unexpected member"):
        parser.parse(grown, ParseOptions(strict=True))
