"""Which operation of NEW is which operation of OLD, and which parameter is which.

Both the wire rules and the SDK-surface rules need the same answer, so it is made once here.
An operation is the same when its method and path are (path parameters' names aside: `{id}`
-> `{petId}` changes a keyword argument, not the URL); failing that, when its operationId is
(it moved or changed method). Parameters are the same when their name and location are; path
parameters are the same by position in the path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.diff.sources import JsonValue, Operation, Parameter, join, schema_at

_TEMPLATE = re.compile(r"\{[^{}]*\}")


def path_shape(path: str) -> str:
    """The path with its parameters' names blanked: `/pets/{id}` -> `/pets/{}`."""
    return _TEMPLATE.sub("{}", path)


@dataclass(frozen=True, slots=True)
class Pairing:
    pairs: tuple[tuple[Operation, Operation], ...]
    removed: tuple[Operation, ...]  # in OLD only
    added: tuple[Operation, ...]  # in NEW only


def pair_operations(old: tuple[Operation, ...], new: tuple[Operation, ...]) -> Pairing:
    by_route: dict[tuple[str, str], Operation] = {}
    for op in new:
        by_route.setdefault((op.method, path_shape(op.path)), op)
    pairs: list[tuple[Operation, Operation]] = []
    taken: set[int] = set()
    unmatched: list[Operation] = []
    for op in old:
        match = by_route.get((op.method, path_shape(op.path)))
        if match is not None and id(match) not in taken:
            pairs.append((op, match))
            taken.add(id(match))
        else:
            unmatched.append(op)
    by_id = {op.operation_id: op for op in new if id(op) not in taken}
    removed: list[Operation] = []
    for op in unmatched:
        match = by_id.pop(op.operation_id, None)
        if match is not None:
            pairs.append((op, match))
            taken.add(id(match))
        else:
            removed.append(op)
    added = tuple(op for op in new if id(op) not in taken)
    return Pairing(tuple(pairs), tuple(removed), added)


def pair_parameters(
    old: Operation, new: Operation
) -> tuple[list[tuple[Parameter, Parameter]], list[Parameter], list[Parameter]]:
    """(pairs, only in OLD, only in NEW) of two matched operations' parameters."""
    pairs: list[tuple[Parameter, Parameter]] = []
    new_left = list(new.parameters)
    same_shape = path_shape(old.path) == path_shape(new.path)
    old_order = _path_order(old)
    new_order = _path_order(new)
    removed: list[Parameter] = []
    for parameter in old.parameters:
        match = None
        if parameter.location == "path" and same_shape and parameter.name in old_order:
            position = old_order.index(parameter.name)
            name = new_order[position] if position < len(new_order) else None
            match = next((p for p in new_left if p.location == "path" and p.name == name), None)
        if match is None:
            match = next((p for p in new_left if (p.name, p.location) == (parameter.name, parameter.location)), None)
        if match is None:
            removed.append(parameter)
        else:
            pairs.append((parameter, match))
            new_left.remove(match)
    return pairs, removed, new_left


def _path_order(op: Operation) -> list[str]:
    return [name[1:-1] for name in _TEMPLATE.findall(op.path)]


def media_schema_pointers(document: JsonValue, op: Operation) -> dict[str, str]:
    """Where each body or response schema the IR named after `op` sits in the document.

    Keys are the IR's schema names (a hoisted inline body is named after its operation, but
    its source is the operation's own `schema` member); values are pointers the source map
    can locate.
    """
    found: dict[str, str] = {}
    node = schema_at(document, op.pointer)
    if not isinstance(node, dict):
        return found
    if op.body is not None and op.body.schema_name is not None and "requestBody" in node:
        at = _follow(document, node["requestBody"], join(op.pointer, "requestBody"))
        found[op.body.schema_name] = join(at, "content", op.body.content_type, "schema")
    responses = node.get("responses")
    for response in op.responses:
        if response.schema_name is None or response.content_type is None or not isinstance(responses, dict):
            continue
        raw = responses.get(response.status)
        if raw is not None:
            at = _follow(document, raw, join(op.pointer, "responses", response.status))
            found.setdefault(response.schema_name, join(at, "content", response.content_type, "schema"))
    return found


def _follow(document: JsonValue, value: JsonValue, at: str) -> str:
    for _ in range(64):
        if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
            break
        target = value["$ref"][1:]
        value = schema_at(document, target)
        at = target
    return at
