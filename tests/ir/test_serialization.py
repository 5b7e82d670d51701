"""How a Parameter Object says it is serialised, and which combinations are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ir.parse import build_api
from generator.ir.serialization import problems, read_serialization
from generator.spec import load_spec
from generator.spec.styles import default_style, style_problem

STYLES_SPEC = Path(__file__).resolve().parent.parent / "data" / "client" / "styles.yaml"
AT = "/paths/~1x/get/parameters/0"


def test_defaults_by_location() -> None:
    assert [default_style(location) for location in ("path", "query", "header", "cookie")] == [
        "simple",
        "form",
        "simple",
        "form",
    ]
    query = read_serialization({"name": "q", "in": "query", "schema": {"type": "array"}}, AT, "query")
    assert (query.style, query.explode, query.allow_reserved, query.media_type) == ("form", True, False, None)
    assert query.schema_pointer == AT + "/schema"
    header = read_serialization({"name": "h", "in": "header", "schema": {}}, AT, "header")
    assert (header.style, header.explode) == ("simple", False)
    label = read_serialization({"name": "p", "in": "path", "style": "label", "explode": True}, AT, "path")
    assert (label.style, label.explode) == ("label", True)


def test_allow_reserved_is_a_query_matter() -> None:
    value = {"name": "n", "allowReserved": True, "schema": {"type": "string"}}
    assert read_serialization(value, AT, "query").allow_reserved
    assert not read_serialization(value, AT, "header").allow_reserved


def test_a_content_parameter_takes_its_media_type_schema_and_example() -> None:
    value = {
        "name": "filter",
        "in": "query",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/F"}, "example": {"a": 1}}},
    }
    wire = read_serialization(value, AT, "query")
    assert wire.media_type == "application/json"
    assert wire.schema == {"$ref": "#/components/schemas/F"}
    assert wire.schema_pointer == AT + "/content/application~1json/schema"
    assert wire.example == {"a": 1}


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        (
            {"name": "h", "in": "header", "style": "form"},
            {},
            [("/style", "style 'form' is not defined for an `in: header`")],
        ),
        ({"name": "p", "in": "path", "style": "form"}, {}, [("/style", "(allowed: simple, label, matrix)")]),
        ({"name": "c", "in": "cookie", "style": "cookie"}, {}, []),  # OpenAPI 3.2's cookie style
        ({"name": "d", "in": "query", "style": "deepObject", "explode": True}, {"type": "object"}, []),
        ({"name": "d", "in": "query", "style": "deepObject", "explode": True}, {}, []),  # may be an object
        ({"name": "d", "in": "query", "style": "deepObject", "explode": False}, {}, [("/explode", "needs `explode")]),
        ({"name": "d", "in": "query", "style": "deepObject"}, {}, [("/style", "explode false, its default")]),
        (
            {"name": "d", "in": "query", "style": "deepObject", "explode": True},
            {"type": ["string", "null"]},
            [("/style", "the schema is of type string | null")],
        ),
        (
            {"name": "f", "in": "query", "content": {"application/json": {}, "text/plain": {}}},
            {},
            [("/content", "not 2 (application/json, text/plain)")],
        ),
        ({"name": "f", "in": "header", "style": "deepObject", "content": {"text/plain": {}}}, {}, []),
    ],
)
def test_refused_combinations(value: dict[str, object], schema: object, expected: list[tuple[str, str]]) -> None:
    found = problems(value, AT, str(value["in"]), schema)
    assert [pointer for pointer, _ in found] == [AT + member for member, _ in expected]
    for (_, message), (_, fragment) in zip(found, expected, strict=True):
        assert fragment in message


def test_style_problem_reads_the_parameter_object_alone() -> None:
    assert style_problem({"name": "x", "in": "query", "style": "simple"}) is not None
    assert style_problem({"name": "x", "in": "query"}) is None


def test_the_styles_spec_in_the_ir() -> None:
    api = build_api(load_spec(STYLES_SPEC))
    by_name = {(op.python_name, p.name): p for op in api.operations for p in op.parameters}
    matrix = by_name[("path_matrix_exploded", "rgb")]
    assert (matrix.style, matrix.explode, matrix.required) == ("matrix", True, True)
    content = by_name[("query_deep", "filter")]
    assert content.media_type == "application/json" and content.required
    assert content.declared_schema == {"$ref": "#/components/schemas/Filter"}
    assert content.schema["required"] == ["minArea"]  # followed
    assert content.python_type == "dict[str, Any]"
    assert content.example == {"minArea": 1, "kinds": ["x"]}
    assert by_name[("query_deep", "next")].allow_reserved
