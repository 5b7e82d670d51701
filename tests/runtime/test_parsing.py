"""generator/runtime/_runtime/parsing.py: checked JSON into model classes, Enum classes and type
aliases of unions of models (through one cached TypeAdapter each), and the `NotNull` marker."""

from __future__ import annotations

import ast
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from typing_extensions import TypeAliasType

from generator.runtime._runtime import parsing
from generator.runtime._runtime.parsing import NotNull, adapter, type_name, validate_as
from generator.runtime._runtime.responses import ADDITIVE_KEYWORDS, Model, ParseOptions
from generator.runtime.errors import APIResponseValidationError


class Circle(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["circle"]
    radius: float


class Square(BaseModel):
    kind: Literal["square"]
    side: float


class Color(Enum):
    RED = "red"


class Note(BaseModel):
    title: Annotated[str | None, Field(min_length=1), NotNull] = None
    body: str | None = None


Shape = TypeAliasType("Shape", Annotated[Circle | Square, Field(discriminator="kind")])
Label = TypeAliasType("Label", Circle | str)


def test_a_union_alias_parses_into_the_branch_model() -> None:
    assert type(validate_as(Shape, {"kind": "square", "side": 1})) is Square
    assert validate_as(Label, "text") == "text"
    assert type(validate_as(Label, {"kind": "circle", "radius": 1})) is Circle
    with pytest.raises(ValidationError):
        validate_as(Shape, {"kind": "circle"})


def test_the_adapter_of_an_alias_is_built_once() -> None:
    assert adapter(Shape) is adapter(Shape)
    assert Shape in parsing._ADAPTERS


def test_models_and_enums_parse_as_before() -> None:
    assert validate_as(Circle, {"kind": "circle", "radius": 2}).radius == 2
    assert validate_as(Color, "red") is Color.RED
    assert validate_as(Color, "blue") == "blue"  # not listed: the plain value (the validator let it through)


def test_unknown_members_are_kept_on_request_in_a_union_too() -> None:
    data = {"kind": "circle", "radius": 1, "extra": 2}
    with pytest.raises(ValidationError):
        validate_as(Shape, data)  # a closed model refuses it...
    if parsing.ADAPTER_TAKES_EXTRA:  # ...unless told to keep it (pydantic 2.12 or later)
        circle = validate_as(Shape, data, keep_unknown=True)
        assert circle.model_extra == {"extra": 2}


def test_type_names_for_messages() -> None:
    assert [type_name(Circle), type_name(Color), type_name(Shape)] == ["Circle", "Color", "Shape"]


def test_a_response_of_a_union_alias_is_the_model_named_in_messages() -> None:
    request = httpx.Request("GET", "https://shop.test/shapes/1")
    parser = Model(Shape, lambda data: [])
    response = httpx.Response(200, json={"kind": "square", "side": 2}, request=request)
    assert type(parser.parse(response, ParseOptions())) is Square
    assert repr(parser) == "Model(Shape)"
    bad = httpx.Response(200, json={"kind": "square"}, request=request)
    with pytest.raises(APIResponseValidationError, match="does not match Shape"):
        parser.parse(bad, ParseOptions())


def test_not_null_refuses_an_explicit_null_only() -> None:
    with pytest.raises(ValidationError, match="may be omitted, but not null") as raised:
        Note(title=None)
    assert raised.value.errors()[0]["type"] == "value_error" and raised.value.errors()[0]["loc"] == ("title",)
    assert Note().title is None and Note().model_dump(exclude_unset=True) == {}
    assert Note(body=None).model_dump(exclude_unset=True) == {"body": None}
    with pytest.raises(ValidationError, match="at least 1 character"):
        Note(title="")  # the field's own constraints still apply


def test_the_validators_tolerate_what_the_responses_tolerate() -> None:
    """The compiled validators' `_tolerated` helper and the runtime agree on what an API adds."""
    template = Path(__file__).resolve().parents[2] / "templates" / "package" / "validators.py.jinja"
    text = template.read_text(encoding="utf-8")
    listed = text.split("_ADDITIVE_KEYWORDS = frozenset(", 1)[1].split(")", 1)[0]
    assert ast.literal_eval(listed) == set(ADDITIVE_KEYWORDS)
