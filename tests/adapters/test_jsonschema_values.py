"""What generator/adapters/jsonschema_values.py assumes of jsonschema: `$ref`s resolve from
anywhere in the document, and `format` stays an annotation, as the models read it."""

from __future__ import annotations

import pytest

from generator.adapters.jsonschema_values import ValueChecker

DOCUMENT = {
    "components": {
        "schemas": {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Holder": {"type": "object", "properties": {"kind": {"$ref": "#/components/schemas/Kind"}}},
        }
    }
}


@pytest.mark.parametrize(
    ("schema", "value", "problem"),
    [
        ({"$ref": "#/components/schemas/Kind"}, "a", None),
        ({"$ref": "#/components/schemas/Kind"}, "c", "'c' is not one of ['a', 'b']"),
        ({"$ref": "#/components/schemas/Holder"}, {"kind": "z"}, "'z' is not one of ['a', 'b'] (at /kind)"),
        ({"type": "string", "format": "date"}, "2024-13-45", None),  # an annotation: the model keeps the string
        ({"type": "string", "format": "date"}, 12, "12 is not of type 'string'"),
        ({"$ref": "#/components/schemas/Missing"}, 1, None),  # reported where the $ref is
    ],
)
def test_problem(schema: object, value: object, problem: str | None) -> None:
    assert ValueChecker(DOCUMENT).problem(schema, value) == problem
