"""Generic containers made concrete for the static types (the models and the wire TypedDicts).

OpenAPI 3.1 writes a templated type as one container whose slot is a `$dynamicRef`
(`Page.items: {$dynamicRef: "#item"}`, with a default `$dynamicAnchor: item` as bookend)
and one component per use that refers to it and binds the slot with its own
`$dynamicAnchor` (`UserPage: {$ref: Page, $defs: {item: {$dynamicAnchor: item, $ref: User}}}`).
datamodel-code-generator and the TypedDicts know nothing of a dynamic scope; a class per use
does. So, for the static types only:

- a component that refers to a container and binds some of its dynamic anchors becomes a
  copy of that container with each such `$dynamicRef` replaced by its binding
  (`UserPage.items: list[User]`);
- every other `$dynamicRef` takes its static default: the bookend its own resource declares
  (`Page.items: list[dict[str, Any]]`);
- `$id`s and anchors go (every `$ref` is a local pointer once bundled), as do the bindings'
  `$defs` entries that nothing else refers to.

The component is specialised for the binding it makes itself: a use nested in a resource
that binds the same anchor further out validates with the outer binding (the compiled
validators resolve the dynamic scope exactly), while its class keeps its own.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

from generator.ir import JsonValue
from generator.spec.pointers import escape_token, split_pointer
from generator.spec.schema_tree import subschemas

_SCHEMAS = "#/components/schemas/"
_IDENTITY = ("$id", "$anchor", "$dynamicAnchor", "$schema", "$comment")
_ANNOTATIONS = frozenset({"title", "description", "deprecated", "examples", "x-sdkgen-name"})


def has_generics(schemas: dict[str, JsonValue]) -> bool:
    """Whether any component schema uses a `$dynamicRef` or declares an `$id` or anchor."""
    text = json.dumps(schemas)
    return any(marker in text for marker in ('"$dynamicRef"', '"$id"', '"$anchor"', '"$dynamicAnchor"'))


def specialized(schemas: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The component schemas (keyed by component name) with their generic containers made
    concrete; the same dict when there is nothing to do, the input never changed."""
    if not has_generics(schemas):
        return schemas
    result: dict[str, JsonValue] = {}
    for name, schema in schemas.items():
        body = _specialized_use(name, schema, schemas)
        if body is None:
            body = copy.deepcopy(schema)
        _bind_defaults(name, body, _dynamic_anchors(body))
        result[name] = body
    _drop_unused_bindings(result)
    for body in result.values():
        for node in _nodes(body):
            for key in _IDENTITY:
                node.pop(key, None)
    return result


_last: list[tuple[JsonValue, JsonValue]] = []  # the last document asked for, and its answer


def specialized_document(document: JsonValue) -> JsonValue:
    """The whole document with its component schemas `specialized` (the same object when
    unchanged). The last answer is kept: the README's samplers ask for one document often."""
    if _last and _last[0][0] is document:
        return _last[0][1]
    components = document.get("components") if isinstance(document, dict) else None
    schemas = components.get("schemas") if isinstance(components, dict) else None
    result = document
    if isinstance(components, dict) and isinstance(schemas, dict):
        concrete = specialized(schemas)
        if concrete is not schemas:
            result = {**document, "components": {**components, "schemas": concrete}}
    _last[:] = [(document, result)]
    return result


def _specialized_use(name: str, schema: JsonValue, schemas: dict[str, JsonValue]) -> JsonValue | None:
    """A use of a container (`$ref` to it, binding its anchors) as a copy of the container
    with its slots bound; None when `schema` is no such use."""
    if not isinstance(schema, dict):
        return None
    ref = schema.get("$ref")
    container_name = _component(ref)
    container = schemas.get(container_name) if container_name is not None else None
    bindings = _dynamic_anchors(schema)
    if not isinstance(container, dict) or not bindings:
        return None
    slots = {anchor for anchor in _dynamic_refs(container) if anchor in bindings}
    if not slots:
        return None
    body = copy.deepcopy(container)
    for node in _nodes(body):
        target = _anchor_name(node.get("$dynamicRef"))
        if target in slots:
            del node["$dynamicRef"]
            node.update(_bound(bindings[target], schema, name))
    body.pop("title", None)
    rest = {key: value for key, value in schema.items() if key not in ("$ref", "$defs", *_IDENTITY)}
    defs = schema.get("$defs")
    if isinstance(defs, dict):
        body.setdefault("$defs", {})
        body["$defs"].update(copy.deepcopy(defs))  # what the use's own refs may point at
    if set(rest) <= _ANNOTATIONS:
        body.update(copy.deepcopy(rest))
        return body
    return {**copy.deepcopy(rest), "allOf": [body]}


def _bind_defaults(component: str, body: JsonValue, defaults: dict[str, dict[str, JsonValue]]) -> None:
    """Every `$dynamicRef` left in `body` takes its bookend's schema (or any value without one)."""
    for node in _nodes(body):
        name = _anchor_name(node.get("$dynamicRef"))
        if name is None and "$dynamicRef" not in node:
            continue
        del node["$dynamicRef"]
        if name is not None and name in defaults:
            node.update(_bound(defaults[name], body, component))


def _bound(binding: dict[str, JsonValue], root: JsonValue, component: str) -> dict[str, JsonValue]:
    """The schema a binding stands for, without what made it a binding; the component itself
    (a recursive container: a tree's children) when the binding is its root."""
    if binding is root:
        return {"$ref": _SCHEMAS + escape_token(component)}
    return {key: copy.deepcopy(value) for key, value in binding.items() if key not in _IDENTITY}


def _drop_unused_bindings(schemas: dict[str, JsonValue]) -> None:
    """`$defs` members that were only bindings, now referred to by nothing, would become classes.
    (A copied container's own `$defs`, inside a use's `allOf`, nothing can refer to.)"""
    text = json.dumps(schemas)
    for name, body in schemas.items():
        for node in _nodes(body):
            defs = node.get("$defs")
            if not isinstance(defs, dict):
                continue
            for member in list(defs):
                pointer = f"{_SCHEMAS}{escape_token(name)}/$defs/{escape_token(member)}"
                referred = node is body and f'"{pointer}' in text
                if isinstance(defs[member], dict) and "$dynamicAnchor" in defs[member] and not referred:
                    del defs[member]
            if not defs:
                del node["$defs"]


def _dynamic_anchors(schema: JsonValue) -> dict[str, dict[str, JsonValue]]:
    """The dynamic anchors a component's own resource declares (not those of resources inside it)."""
    found: dict[str, dict[str, JsonValue]] = {}
    for node in _nodes(schema, own_resource=True):
        name = node.get("$dynamicAnchor")
        if isinstance(name, str):
            found.setdefault(name, node)
    return found


def _dynamic_refs(schema: JsonValue) -> set[str]:
    return {name for node in _nodes(schema) if (name := _anchor_name(node.get("$dynamicRef"))) is not None}


def _anchor_name(ref: JsonValue) -> str | None:
    """`item` for `$dynamicRef: "#item"` (a plain-name fragment); None for anything else."""
    if isinstance(ref, str) and ref.startswith("#") and len(ref) > 1 and not ref.startswith("#/"):
        return ref[1:]
    return None


def _component(ref: JsonValue) -> str | None:
    if isinstance(ref, str) and ref.startswith(_SCHEMAS):
        tokens = split_pointer(ref[1:])
        if len(tokens) == 3:
            return tokens[2]
    return None


def _nodes(schema: JsonValue, own_resource: bool = False) -> Iterator[dict[str, JsonValue]]:
    """The object schemas in `schema`, itself first; with `own_resource`, not inside a nested `$id`."""
    stack = [(schema, True)]
    while stack:
        node, top = stack.pop()
        if not isinstance(node, dict) or (own_resource and not top and "$id" in node):
            continue
        yield node
        stack.extend((sub, False) for sub, _ in subschemas(node))
