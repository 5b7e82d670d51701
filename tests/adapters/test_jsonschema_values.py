"""What generator/adapters/jsonschema_values.py assumes: the formats datamodel-code-generator
types strictly are those it asserts, and `$ref`s resolve from anywhere in the document."""

from __future__ import annotations

import ast

import pytest

from generator.adapters import datamodel_codegen
from generator.adapters.jsonschema_values import MODEL_FORMATS, ValueChecker

# Formats a JSON Schema validator may know whose model type is a plain str: never asserted.
STRING_FORMATS = ("email", "uri-reference", "hostname", "password", "byte", "regex", "json-pointer")


def model_types() -> dict[str, str]:
    """format -> the annotation datamodel-code-generator gives a property of that format."""
    formats = [*MODEL_FORMATS, *STRING_FORMATS]
    properties = {f"p{index}": {"type": "string", "format": name} for index, name in enumerate(formats)}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Thing": {"type": "object", "properties": properties}}},
    }
    source = datamodel_codegen.generate_models(document, "# header")
    annotations = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id in properties:
            annotations[formats[int(node.target.id[1:])]] = ast.unparse(node.annotation).removesuffix(" | None")
    return annotations


def test_the_asserted_formats_are_the_ones_the_models_type() -> None:
    types = model_types()
    for name, kind in MODEL_FORMATS.items():
        assert types[name] == kind.__name__, f"datamodel-code-generator now types format {name!r} as {types[name]}"
    for name in STRING_FORMATS:
        assert types[name].startswith(("str", "Base64Str", "Annotated[str")), (name, types[name])


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
        ({"type": "string", "format": "uri"}, "about:blank", None),
        ({"type": "string", "format": "uri"}, "/relative", "'/relative' is not a 'uri'"),
        ({"type": "string", "format": "email"}, "not an address", None),  # an annotation: a str field
        ({"type": "string", "format": "date"}, 12, "12 is not of type 'string'"),
        ({"type": "integer", "format": "date"}, 12, None),  # formats constrain strings only
        ({"$ref": "#/components/schemas/Missing"}, 1, None),  # reported where the $ref is
    ],
)
def test_problem(schema: object, value: object, problem: str | None) -> None:
    assert ValueChecker(DOCUMENT).problem(schema, value) == problem
