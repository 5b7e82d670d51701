"""A small spec every diff test starts from, and helpers to diff two versions of it.

The spec has a request-only schema (`NewPet`, the body of `createPet`), a response-only one
(`Pet`), a union used both ways (`Animal`, body and response of `createAnimal`), and a
component no operation uses (`Legacy`), and a recursive one (`Tree`): each direction of each rule has a place to happen.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.diff import compare
from generator.diff.findings import Finding
from generator.diff.sources import load_side

Spec = dict[str, Any]
Change = Callable[[Spec], None]


def _json(schema: Spec) -> Spec:
    return {"application/json": {"schema": schema}}


def _ref(name: str) -> Spec:
    return {"$ref": f"#/components/schemas/{name}"}


PET_ID = {"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}

BASE: Spec = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1.0.0"},
    "servers": [{"url": "https://api.example.com"}],
    "security": [{"key": []}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["available", "sold"]}},
                ],
                "responses": {
                    "200": {"description": "pets", "content": _json({"type": "array", "items": _ref("Pet")})}
                },
            },
            "post": {
                "operationId": "createPet",
                "requestBody": {"required": True, "content": _json(_ref("NewPet"))},
                "responses": {"201": {"description": "created", "content": _json(_ref("Pet"))}},
            },
        },
        "/pets/{petId}": {
            "get": {
                "operationId": "getPet",
                "parameters": [copy.deepcopy(PET_ID)],
                "responses": {
                    "200": {"description": "the pet", "content": _json(_ref("Pet"))},
                    "404": {"description": "no such pet"},
                },
            },
            "delete": {
                "operationId": "deletePet",
                "parameters": [copy.deepcopy(PET_ID)],
                "responses": {"204": {"description": "deleted"}},
            },
        },
        "/tree": {
            "get": {
                "operationId": "getTree",
                "responses": {"200": {"description": "the tree", "content": _json(_ref("Tree"))}},
            }
        },
        "/animals": {
            "post": {
                "operationId": "createAnimal",
                "requestBody": {"required": True, "content": _json(_ref("Animal"))},
                "responses": {"200": {"description": "created", "content": _json(_ref("Animal"))}},
            }
        },
    },
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        "schemas": {
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 50},
                    "tag": {"type": "string"},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                    "age": {"type": "integer", "minimum": 0},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            },
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string", "maxLength": 50},
                    "tag": {"type": "string"},
                    "status": {"type": "string", "enum": ["available", "sold"]},
                    "owner": _ref("Owner"),
                },
            },
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Animal": {
                "oneOf": [_ref("Cat"), _ref("Dog")],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                },
            },
            "Cat": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}},
            },
            "Dog": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"type": "string"}, "good": {"type": "boolean"}},
            },
            "Tree": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": _ref("Tree")}},
            },
            "Legacy": {"type": "object", "properties": {"oldName": {"type": "string"}, "count": {"type": "integer"}}},
        },
    },
}


def spec(change: Change | None = None) -> Spec:
    document = copy.deepcopy(BASE)
    if change is not None:
        change(document)
    return document


def write(path: Path, document: Spec) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False, width=1000))
    return path


def diff(tmp_path: Path, old: Spec, new: Spec) -> list[Finding]:
    """The located findings from `old` to `new` (no ignore file, no version check)."""
    (tmp_path / "old").mkdir(exist_ok=True)
    (tmp_path / "new").mkdir(exist_ok=True)
    before = write(tmp_path / "old" / "shop.yaml", old)
    after = write(tmp_path / "new" / "shop.yaml", new)
    return compare(load_side(before.as_posix()), load_side(after.as_posix()))
