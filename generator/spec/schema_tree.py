"""Where JSON Schema 2020-12 nests schemas inside a schema: one table for every walker.

The IR checks, the 3.0 normaliser and the validator compiler all descend the same way;
`generator.adapters.openapi_spec_validator` keeps its own list on purpose (it mirrors
the meta-schema exactly).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generator.spec.pointers import join_pointer

JsonValue = Any

SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_SINGLES = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)


def subschemas(node: Mapping[str, JsonValue], pointer: str = "") -> Iterator[tuple[JsonValue, str]]:
    """The direct subschemas of a schema object, each with its JSON pointer."""
    for key in SUBSCHEMA_MAPS:
        members = node.get(key)
        if isinstance(members, dict):
            for name, sub in members.items():
                yield sub, join_pointer(join_pointer(pointer, key), name)
    for key in SUBSCHEMA_LISTS:
        members = node.get(key)
        if isinstance(members, list):
            for index, sub in enumerate(members):
                yield sub, join_pointer(join_pointer(pointer, key), index)
    for key in SUBSCHEMA_SINGLES:
        if key in node:
            yield node[key], join_pointer(pointer, key)
