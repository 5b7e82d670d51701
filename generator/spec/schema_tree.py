"""Where schemas are: in an OpenAPI document (`schema_roots`), and inside a schema (one table
for every walker).

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


_SUBSCHEMA_KEYS = frozenset((*SUBSCHEMA_MAPS, *SUBSCHEMA_LISTS, *SUBSCHEMA_SINGLES))


def subschemas(node: Mapping[str, JsonValue], pointer: str = "") -> Iterator[tuple[JsonValue, str]]:
    """The direct subschemas of a schema object, each with its JSON pointer."""
    if _SUBSCHEMA_KEYS.isdisjoint(node):
        return  # a leaf (most schemas are): nothing to look up key by key
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


# Members of OpenAPI objects that hold a schema.
_SCHEMA_MEMBERS = frozenset({"schema", "itemSchema"})
# Members of OpenAPI objects that hold data, not OpenAPI objects or schemas.
_DATA_MEMBERS = frozenset({"example", "examples", "default", "const", "enum", "value"})


def schema_roots(document: JsonValue) -> Iterator[tuple[JsonValue, str]]:
    """Every schema of an OpenAPI document that is not inside another schema, with its pointer.

    Component schemas, and the `schema` member of any OpenAPI object (parameters, headers,
    media types, wherever they sit: paths, components, callbacks, webhooks), and a media
    type's `itemSchema` (OpenAPI 3.2: one item of a sequential body, such as one event).
    """
    if not isinstance(document, dict):
        return
    components = document.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        for name, schema in components["schemas"].items():
            yield schema, join_pointer("/components/schemas", name)
    stack: list[tuple[JsonValue, str]] = [(document, "")]
    while stack:
        node, pointer = stack.pop()
        children: list[tuple[JsonValue, str]] = []
        if isinstance(node, dict):
            for key, value in node.items():
                at = join_pointer(pointer, key)
                if key in _SCHEMA_MEMBERS and isinstance(value, dict | bool):
                    yield value, at
                elif not (key in _DATA_MEMBERS or key.startswith("x-") or at == "/components/schemas"):
                    children.append((value, at))
        elif isinstance(node, list):
            children = [(value, join_pointer(pointer, index)) for index, value in enumerate(node)]
        stack.extend(reversed(children))  # depth first, in document order


def schema_nodes(schema: JsonValue, pointer: str) -> Iterator[tuple[dict[str, JsonValue], str]]:
    """The schema and every schema nested in it (object schemas only), with their pointers."""
    stack = [(schema, pointer)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            yield node, at
            stack.extend(reversed(list(subschemas(node, at))))
