"""The table of where a JSON Schema 2020-12 schema nests other schemas."""

from __future__ import annotations

from generator.spec.schema_tree import subschemas


def test_every_kind_of_subschema_position_is_walked_with_its_pointer() -> None:
    schema = {
        "properties": {"a/b": {"type": "string"}},
        "$defs": {"D": {"type": "integer"}},
        "anyOf": [{"type": "null"}, {"minimum": 1}],
        "items": {"type": "boolean"},
        "not": {"const": 3},
        "description": "not a schema",
        "enum": [{"type": "string"}],
    }
    found = {pointer: sub for sub, pointer in subschemas(schema, "/S")}
    assert found == {
        "/S/properties/a~1b": {"type": "string"},
        "/S/$defs/D": {"type": "integer"},
        "/S/anyOf/0": {"type": "null"},
        "/S/anyOf/1": {"minimum": 1},
        "/S/items": {"type": "boolean"},
        "/S/not": {"const": 3},
    }


def test_boolean_subschemas_are_yielded_and_malformed_containers_skipped() -> None:
    schema = {"additionalProperties": False, "allOf": "not a list", "properties": ["not", "a", "map"]}
    assert list(subschemas(schema)) == [(False, "/additionalProperties")]
