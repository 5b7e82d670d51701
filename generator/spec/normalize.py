"""OpenAPI 3.0 schemas -> the JSON Schema 2020-12 that 3.1 uses, so later steps know one dialect.

3.0's Schema Object differs from 2020-12 in a few keywords: `nullable: true` (3.1 writes
`type: [X, "null"]`), and boolean `exclusiveMinimum`/`exclusiveMaximum` that modify
`minimum`/`maximum` (3.1 gives the bound itself). Everything else sdkgen reads means the
same in both. The rewrite keeps every pointer that existed (only keys are added, removed
or changed in place; a nullable `$ref` is wrapped in `anyOf`), so located errors still
point at the author's lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.spec.schema_tree import subschemas

JsonValue = Any

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def is_openapi_30(document: JsonValue) -> bool:
    version = document.get("openapi") if isinstance(document, dict) else None
    return isinstance(version, str) and version.startswith("3.0")


def normalize_document(document: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """Rewrite every schema of a 3.0 document in place into 2020-12 terms; returns the document."""
    if not is_openapi_30(document):
        return document
    for schema in _schema_roots(document):
        _normalize_schema(schema)
    return document


def _schema_roots(document: dict[str, JsonValue]) -> Iterator[JsonValue]:
    """Every schema a 3.0 document holds outside other schemas."""
    components = document.get("components")
    if isinstance(components, dict):
        schemas = components.get("schemas")
        if isinstance(schemas, dict):
            yield from schemas.values()
        for section in ("parameters", "headers"):
            for item in _values(components.get(section)):
                yield from _schema_of(item)
        for section in ("requestBodies", "responses"):
            for item in _values(components.get(section)):
                yield from _content_schemas(item)
    for path_item in _values(document.get("paths")):
        if not isinstance(path_item, dict):
            continue
        for parameter in _list(path_item.get("parameters")):
            yield from _schema_of(parameter)
        for method in _METHODS:
            operation = path_item.get(method)
            if not isinstance(operation, dict):
                continue
            for parameter in _list(operation.get("parameters")):
                yield from _schema_of(parameter)
            yield from _content_schemas(operation.get("requestBody"))
            for response in _values(operation.get("responses")):
                yield from _content_schemas(response)


def _values(node: JsonValue) -> list[JsonValue]:
    return list(node.values()) if isinstance(node, dict) else []


def _list(node: JsonValue) -> list[JsonValue]:
    return node if isinstance(node, list) else []


def _schema_of(holder: JsonValue) -> Iterator[JsonValue]:
    if isinstance(holder, dict):
        if "schema" in holder:
            yield holder["schema"]
        yield from _content_schemas(holder)


def _content_schemas(holder: JsonValue) -> Iterator[JsonValue]:
    if not isinstance(holder, dict):
        return
    for media in _values(holder.get("content")):
        if isinstance(media, dict) and "schema" in media:
            yield media["schema"]
    for header in _values(holder.get("headers")):
        if isinstance(header, dict) and "schema" in header:
            yield header["schema"]


def _normalize_schema(schema: JsonValue) -> None:
    if not isinstance(schema, dict):
        return
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = schema.get(exclusive)
        if flag is True and bound in schema:
            schema[exclusive] = schema.pop(bound)
        elif isinstance(flag, bool):
            del schema[exclusive]
    if schema.pop("nullable", False) is True:
        _make_nullable(schema)
    for sub, _ in subschemas(schema):
        _normalize_schema(sub)


def _make_nullable(schema: dict[str, JsonValue]) -> None:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        schema["type"] = [*kind, "null"]
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    if kind is None and any(key in schema for key in ("$ref", "allOf", "anyOf", "oneOf")):
        # No `type` to widen: accept null beside whatever the composition accepts.
        inner = {key: schema.pop(key) for key in ("$ref", "allOf", "anyOf", "oneOf") if key in schema}
        schema["anyOf"] = [inner, {"type": "null"}]
