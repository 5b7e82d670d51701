"""Warnings about schemas JSON Schema accepts but that cannot do what their author meant.

Not refusals: the spec is valid and the package is generated; `generate` and `lint` print
each as a located `warning:` line (`--strict-warnings` makes them fatal).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generator.spec.pointers import join_pointer, resolve_pointer

JsonValue = Any


def closed_all_of(document: JsonValue, schema: Mapping[str, JsonValue], pointer: str) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each member an `allOf` can never hold: one of its branches closes
    its members (`additionalProperties: false`) without declaring it, while another branch (or
    the schema beside the `allOf`) declares it. JSON Schema checks each branch on its own, so
    the closed branch refuses every value carrying the member: the classic mistake of extending
    a closed base with `allOf`. Each member is reported once, where it is declared."""
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return
    branches = [
        _resolved(document, part, join_pointer(join_pointer(pointer, "allOf"), index), str(index))
        for index, part in enumerate(parts)
    ]
    declarations = [_declared(node, at) for node, at, _ in branches]
    declarations.append(_declared(schema, pointer))
    reported: set[str] = set()
    for index, (node, _, label) in enumerate(branches):
        if node.get("additionalProperties") is not False or "patternProperties" in node:
            continue
        allowed = set(declarations[index])
        for other, members in enumerate(declarations):
            if other == index:
                continue
            for name, where in members.items():
                if name in allowed or name in reported:
                    continue
                reported.add(name)
                yield (
                    where,
                    f"member {name!r} can never be present: allOf branch {label} sets additionalProperties: false"
                    " and does not declare it (each branch is checked on its own); declare it there, or close the"
                    " combined schema with unevaluatedProperties: false instead",
                )


def _resolved(
    document: JsonValue, node: JsonValue, pointer: str, label: str
) -> tuple[Mapping[str, JsonValue], str, str]:
    """A branch with its local `$ref`s followed: the schema, its pointer, and how to name it
    (the `$ref` it was reached by, else `label`: its index)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target = node["$ref"]
        if target in seen or len(node) > 1:  # a cycle, or siblings beside the $ref: not followed
            break
        seen.add(target)
        try:
            node, pointer = resolve_pointer(document, target[1:]), target[1:]
        except KeyError:
            return {}, pointer, label
        label = target
    return (node if isinstance(node, dict) else {}), pointer, label


def _declared(node: Mapping[str, JsonValue], pointer: str) -> dict[str, str]:
    """The members a schema declares in `properties`, each with the pointer of its declaration."""
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return {}
    return {name: join_pointer(join_pointer(pointer, "properties"), name) for name in properties}
