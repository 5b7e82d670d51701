"""Generic containers made concrete for the models and TypedDicts (generator/emit/generics.py)."""

from __future__ import annotations

import copy
from typing import Any

from generator.emit.generics import specialized, specialized_document

S = "#/components/schemas/"
SCHEMAS: dict[str, Any] = {
    "User": {"$id": "https://x.test/user", "type": "object", "properties": {"name": {"type": "string"}}},
    "Page": {
        "$id": "https://x.test/page",
        "title": "Page",
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$dynamicRef": "#item"}}},
        "$defs": {"item": {"$dynamicAnchor": "item", "type": "object"}},
    },
    "UserPage": {
        "$id": "https://x.test/user-page",
        "description": "users",
        "$ref": S + "Page",
        "$defs": {"item": {"$dynamicAnchor": "item", "$ref": S + "User"}},
    },
    "Counted": {
        "$ref": S + "Page",
        "properties": {"count": {"type": "integer"}},
        "$defs": {"item": {"$dynamicAnchor": "item", "type": "string"}},
    },
}


def test_a_use_is_the_container_with_its_slots_bound() -> None:
    before = copy.deepcopy(SCHEMAS)
    result = specialized(SCHEMAS)
    assert before == SCHEMAS  # the input is not changed
    assert result["UserPage"] == {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": S + "User"}}},
        "description": "users",
    }


def test_the_container_alone_takes_its_bookend_and_identities_go() -> None:
    result = specialized(SCHEMAS)
    assert result["Page"] == {
        "title": "Page",
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"type": "object"}}},
    }
    assert result["User"] == {"type": "object", "properties": {"name": {"type": "string"}}}


def test_a_use_with_its_own_members_extends_the_bound_container() -> None:
    counted = specialized(SCHEMAS)["Counted"]
    assert counted["properties"] == {"count": {"type": "integer"}}
    assert counted["allOf"][0]["properties"]["items"]["items"] == {"type": "string"}


def test_schemas_without_generics_are_returned_as_they_are() -> None:
    plain = {"A": {"type": "object", "properties": {"b": {"$ref": S + "B"}}}, "B": {"type": "string"}}
    assert specialized(plain) is plain
    document = {"openapi": "3.1.0", "components": {"schemas": plain}}
    assert specialized_document(document) is document


def test_the_document_view_replaces_only_the_schemas() -> None:
    document = {"openapi": "3.1.0", "paths": {}, "components": {"schemas": SCHEMAS, "responses": {}}}
    view = specialized_document(document)
    assert view is specialized_document(document)  # asked again: the same answer
    assert view["paths"] is document["paths"] and view["components"]["responses"] is document["components"]["responses"]
    assert view["components"]["schemas"]["UserPage"]["properties"]["items"]["items"] == {"$ref": S + "User"}


def test_a_recursive_container_binds_to_the_class_of_each_use() -> None:
    tree = {
        "$id": "https://x.test/tree",
        "$dynamicAnchor": "node",
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$dynamicRef": "#node"}}},
    }
    labelled = {
        "$id": "https://x.test/labelled",
        "$dynamicAnchor": "node",
        "$ref": S + "Tree",
        "properties": {"label": {"type": "string"}},
    }
    result = specialized({"Tree": tree, "Labelled": labelled})
    assert result["Tree"]["properties"]["children"]["items"] == {"$ref": S + "Tree"}
    labelled_tree = result["Labelled"]["allOf"][0]
    assert labelled_tree["properties"]["children"]["items"] == {"$ref": S + "Labelled"}
    assert result["Labelled"]["properties"] == {"label": {"type": "string"}}
