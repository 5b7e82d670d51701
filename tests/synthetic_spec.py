"""A synthetic OpenAPI 3.1 spec of N operations and N schemas, the same bytes for the same N.

Each schema is an object of ~15 properties that exercises what sdkgen supports: strings
with lengths, patterns and formats (not `email`: pydantic's EmailStr needs an extra
package), integers and numbers with bounds, booleans, inline enums, nullable members
(`type: [..., "null"]`), `$ref`s to earlier schemas, arrays of refs and of scalars, a
nested inline object, a string map (`additionalProperties`), `anyOf`, defaults,
deprecated and read-only members, examples, `allOf` composition on some schemas, a
self-reference on some, and `x-rules` on some. A shared `ApiError` schema comes on top of
the N. Operations cycle through list (query parameters, an inline response object that
sdkgen hoists), create (body and 201), get and update (path parameters, a header
parameter) and delete (204), each with an error response, grouped five to a resource path.

    python tests/synthetic_spec.py 200 -o /tmp/synthetic-200.yaml

Nothing here is random: names and shapes are derived from the index, so a given N
always yields the same file (a benchmark compares like with like across tools and runs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

NOUNS = (
    "Account",
    "Invoice",
    "Shipment",
    "Ticket",
    "Venue",
    "Speaker",
    "Booth",
    "Coupon",
    "Order",
    "Payout",
    "Badge",
    "Survey",
    "Webhook",
    "Session",
    "Track",
    "Sponsor",
    "Room",
    "Attendee",
    "Campaign",
    "Refund",
)
STATUSES = ("draft", "active", "paused", "archived", "deleted", "pending", "failed")
COLOURS = ("red", "green", "blue", "amber", "violet")


def schema_name(index: int) -> str:
    return f"{NOUNS[index % len(NOUNS)]}{index:04d}"


def _ref(index: int) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{schema_name(index)}"}


def _schema(index: int, n: int) -> dict[str, Any]:
    """Schema `index`: ~15 properties; refs only point at earlier schemas (or itself)."""
    noun = NOUNS[index % len(NOUNS)]
    earlier = [(index * 7 + 3) % index, (index * 13 + 5) % index] if index >= 2 else []
    statuses = list(STATUSES[: 3 + index % 5])
    properties: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid", "readOnly": True, "description": f"Identifier of the {noun}."},
        "displayName": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200 + index % 50,
            "description": f"Name of the {noun} as shown to people.",
            "examples": [f"{noun} number {index}"],
        },
        "status": {"type": "string", "enum": statuses, "default": statuses[0], "description": "Lifecycle state."},
        "createdAt": {"type": "string", "format": "date-time"},
        "updatedAt": {"type": ["string", "null"], "format": "date-time", "description": "Null until first update."},
        "quantity": {"type": "integer", "minimum": 0, "maximum": 10_000 + index},
        "unitPrice": {"type": "number", "exclusiveMinimum": 0, "description": "Price of one unit."},
        "isPublic": {"type": "boolean", "default": False},
        "contactEmail": {"type": ["string", "null"], "maxLength": 254, "pattern": "^[^@ ]+@[^@ ]+$"},
        "referenceCode": {"type": "string", "pattern": f"^[A-Z]{{2}}-[0-9]{{{3 + index % 4}}}$"},
        "labels": {"type": "array", "items": {"type": "string", "maxLength": 40}, "maxItems": 20, "uniqueItems": True},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Free-form tags."},
        "address": {
            "type": "object",
            "description": "Where it is.",
            "required": ["line1", "country"],
            "properties": {
                "line1": {"type": "string"},
                "city": {"type": ["string", "null"]},
                "country": {"type": "string", "minLength": 2, "maxLength": 2},
                "kind": {"type": "string", "enum": ["home", "work", "other"]},
            },
        },
        "score": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+%$"}]},
        "legacyCode": {"type": "string", "deprecated": True, "description": "Use referenceCode."},
    }
    if earlier:
        properties["owner"] = {**_ref(earlier[0]), "description": "The owning record."}
        properties["related"] = {"type": "array", "items": _ref(earlier[1]), "maxItems": 50}
        properties["previous"] = {"anyOf": [_ref(earlier[0]), {"type": "null"}]}
    if index % 10 == 7:
        properties["parent"] = {"anyOf": [_ref(index), {"type": "null"}], "description": "A tree of these."}
    schema: dict[str, Any] = {
        "type": "object",
        "description": f"One {noun.lower()} record (synthetic schema {index} of {n}).",
        "required": ["id", "displayName", "status", "createdAt"],
        "properties": properties,
    }
    if index % 4 == 1:
        properties["minCount"] = {"type": "integer", "minimum": 0}
        properties["maxCount"] = {"type": "integer", "minimum": 0}
        schema["x-rules"] = [
            {
                "id": "min-not-above-max",
                "severity": "error",
                "rule": "!has(self.minCount) || !has(self.maxCount) || self.minCount <= self.maxCount",
                "message": "minCount must not exceed maxCount",
                "fieldPath": ".minCount",
            }
        ]
    if index % 9 == 4 and earlier:
        # allOf composition: everything above plus an earlier schema's members.
        return {"description": schema.pop("description"), "allOf": [_ref(earlier[1]), schema]}
    if index % 6 == 5:
        schema["additionalProperties"] = False
    return schema


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "What every failed call returns.",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "enum": ["invalid", "not_found", "conflict", "internal"]},
            "message": {"type": "string"},
            "details": {"type": "array", "items": {"type": "string"}},
        },
    }


def _error_responses() -> dict[str, Any]:
    return {
        "default": {
            "description": "An error.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
        }
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _operation(index: int) -> tuple[str, str, dict[str, Any]]:
    """(path, method, operation object) of operation `index`, about schema `index`."""
    name = schema_name(index)
    resource = f"/v1/{NOUNS[(index // 5) % len(NOUNS)].lower()}s{index // 5:04d}"
    item_param = {
        "name": "itemId",
        "in": "path",
        "required": True,
        "description": "The record's identifier.",
        "schema": {"type": "string", "format": "uuid"},
    }
    request_id = {"name": "X-Request-Id", "in": "header", "schema": {"type": "string", "maxLength": 64}}
    responses = _error_responses()
    kind = index % 5
    if kind == 0:
        parameters = [
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
            {"name": "cursor", "in": "query", "schema": {"type": ["string", "null"]}},
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
            {
                "name": "colour",
                "in": "query",
                "schema": {"type": "array", "items": {"type": "string", "enum": list(COLOURS)}},
            },
        ]
        listing = {
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {"type": "array", "items": _ref(index)},
                "nextCursor": {"type": ["string", "null"]},
            },
        }
        operation = {
            "operationId": f"list{name}",
            "summary": f"List {name} records",
            "parameters": parameters,
            "responses": {"200": {"description": "A page.", "content": _json(listing)}, **responses},
        }
        return f"{resource}/items", "get", operation
    if kind == 1:
        operation = {
            "operationId": f"create{name}",
            "summary": f"Create a {name}",
            "parameters": [request_id],
            "requestBody": {"required": True, "content": _json(_ref(index))},
            "responses": {"201": {"description": "Created.", "content": _json(_ref(index))}, **responses},
        }
        return f"{resource}/items", "post", operation
    if kind == 2:
        operation = {
            "operationId": f"get{name}",
            "summary": f"Get one {name}",
            "parameters": [item_param],
            "responses": {"200": {"description": "Found.", "content": _json(_ref(index))}, **responses},
        }
        return f"{resource}/items/{{itemId}}", "get", operation
    if kind == 3:
        operation = {
            "operationId": f"update{name}",
            "summary": f"Update a {name}",
            "deprecated": index % 2 == 1,
            "parameters": [item_param, request_id],
            "requestBody": {"required": True, "content": _json(_ref(index))},
            "responses": {"200": {"description": "Updated.", "content": _json(_ref(index))}, **responses},
        }
        return f"{resource}/items/{{itemId}}", "put", operation
    operation = {
        "operationId": f"delete{name}",
        "summary": f"Delete a {name}",
        "parameters": [item_param],
        "responses": {"204": {"description": "Deleted."}, **responses},
    }
    return f"{resource}/items/{{itemId}}", "delete", operation


def build_spec(n: int) -> dict[str, Any]:
    """The spec of N operations and N schemas (plus the shared error schema), as plain data."""
    if n < 1:
        raise ValueError("n must be at least 1")
    paths: dict[str, dict[str, Any]] = {}
    for index in range(n):
        path, method, operation = _operation(index)
        paths.setdefault(path, {})[method] = operation
    schemas = {"ApiError": _error_schema()}
    schemas.update({schema_name(index): _schema(index, n) for index in range(n)})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"Synthetic API ({n})",
            "version": "1.0.0",
            "description": f"A synthetic spec of {n} operations and {n} schemas for benchmarks.",
            "x-sdkgen-package": f"synthetic{n}",
        },
        "servers": [{"url": "https://api.example.com", "description": "Production."}],
        "security": [{"apiKey": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
            "schemas": schemas,
        },
    }


def spec_text(n: int) -> str:
    """The spec as YAML text (block style, keys in the order written above)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(build_spec(n), Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def write_spec(n: int, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec_text(n), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of operations and of schemas")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.output:
        write_spec(args.n, args.output)
    else:
        sys.stdout.write(spec_text(args.n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
