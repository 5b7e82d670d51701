"""OpenAPI 3.0 schemas are rewritten into the 2020-12 terms every later step reads."""

from __future__ import annotations

from typing import Any

from generator.spec.normalize import normalize_document


def document(schema: dict[str, Any], version: str = "3.0.3") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer", "nullable": True}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
                }
            }
        },
        "components": {"schemas": {"S": schema}},
    }


def test_nullable_becomes_a_type_list() -> None:
    doc = normalize_document(document({"type": "object", "properties": {"n": {"type": "string", "nullable": True}}}))
    assert doc["components"]["schemas"]["S"]["properties"]["n"] == {"type": ["string", "null"]}
    assert doc["paths"]["/a"]["get"]["parameters"][0]["schema"] == {"type": ["integer", "null"]}


def test_nullable_enum_admits_null() -> None:
    doc = normalize_document(document({"type": "string", "enum": ["a"], "nullable": True}))
    assert doc["components"]["schemas"]["S"] == {"type": ["string", "null"], "enum": ["a", None]}


def test_nullable_ref_is_wrapped() -> None:
    doc = normalize_document(document({"$ref": "#/components/schemas/T", "nullable": True}))
    assert doc["components"]["schemas"]["S"] == {"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}


def test_boolean_exclusive_bounds() -> None:
    doc = normalize_document(
        document({"type": "integer", "minimum": 1, "exclusiveMinimum": True, "maximum": 9, "exclusiveMaximum": False})
    )
    assert doc["components"]["schemas"]["S"] == {"type": "integer", "exclusiveMinimum": 1, "maximum": 9}


def test_nested_subschemas_are_rewritten() -> None:
    schema = {"type": "array", "items": {"allOf": [{"type": "number", "nullable": True}]}}
    doc = normalize_document(document(schema))
    assert doc["components"]["schemas"]["S"]["items"]["allOf"][0] == {"type": ["number", "null"]}


def test_31_documents_are_left_alone() -> None:
    original = document({"type": "string", "nullable": True}, version="3.1.0")
    assert normalize_document(original)["components"]["schemas"]["S"] == {"type": "string", "nullable": True}
