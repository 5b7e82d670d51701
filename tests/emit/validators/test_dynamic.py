"""`$dynamicRef`/`$dynamicAnchor`: the dynamic scope resolved at generation.

The generic container is how OpenAPI 3.1 specs write templated types: one `Page` whose
items are a `$dynamicRef`, and one resource per use binding the item schema through its
own `$dynamicAnchor`. Each use must validate its items with its own schema, and `Page`
alone with its default.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.emit.validators import compile_schemas
from generator.emit.validators.references import References

from .support import import_source, pairs

PAGES = yaml.safe_load(
    """
openapi: 3.1.0
info: {title: Pages, version: "1.0"}
paths: {}
components:
  schemas:
    User:
      $id: https://example.com/schemas/user
      type: object
      required: [name]
      properties:
        name: {type: string}
    Order:
      $id: https://example.com/schemas/order
      type: object
      required: [total]
      properties:
        total: {type: integer, minimum: 0}
    Page:
      $id: https://example.com/schemas/page
      type: object
      required: [items]
      properties:
        items:
          type: array
          items: {$dynamicRef: "#item"}
        next: {type: [string, "null"]}
      $defs:
        item:
          $comment: the default binding (and the bookend the $dynamicRef needs)
          $dynamicAnchor: item
          type: object
    UserPage:
      $id: https://example.com/schemas/user-page
      $ref: page
      $defs:
        item: {$dynamicAnchor: item, $ref: user}
    OrderPage:
      $id: https://example.com/schemas/order-page
      $ref: page
      $defs:
        item: {$dynamicAnchor: item, $ref: order}
    Report:
      type: object
      properties:
        users: {$ref: "https://example.com/schemas/user-page"}
        orders: {$ref: "https://example.com/schemas/order-page"}
"""
)
NAMES = ("User", "Order", "Page", "UserPage", "OrderPage", "Report")


def _pages() -> Any:
    source = compile_schemas(PAGES, [(name, f"/components/schemas/{name}") for name in NAMES])
    return import_source(source, "pages")


def test_each_use_of_a_generic_page_validates_its_items_with_its_own_schema() -> None:
    module = _pages()
    users = {"items": [{"name": "ada"}, {"name": "bob"}], "next": None}
    orders = {"items": [{"total": 3}, {"total": 0}]}
    assert module.validate("UserPage", users) == []
    assert module.validate("OrderPage", orders) == []
    assert pairs(module.validate("UserPage", orders)) == {("/items/0", "required"), ("/items/1", "required")}
    assert pairs(module.validate("OrderPage", users)) == {("/items/0", "required"), ("/items/1", "required")}
    assert pairs(module.validate("OrderPage", {"items": [{"total": -1}]})) == {("/items/0/total", "minimum")}
    # Page on its own binds the default: any object
    assert module.validate("Page", users) == module.validate("Page", orders) == []
    assert pairs(module.validate("Page", {"items": [1]})) == {("/items/0", "type")}


def test_uses_nested_in_another_schema_keep_their_own_binding() -> None:
    module = _pages()
    good = {"users": {"items": [{"name": "ada"}]}, "orders": {"items": [{"total": 1}]}}
    assert module.validate("Report", good) == []
    swapped = {"users": {"items": [{"total": 1}]}, "orders": {"items": [{"name": "ada"}]}}
    assert pairs(module.validate("Report", swapped)) == {
        ("/users/items/0", "required"),
        ("/orders/items/0", "required"),
    }


def test_the_page_is_compiled_once_per_binding_and_nothing_is_decided_at_run_time() -> None:
    source = compile_schemas(PAGES, [(name, f"/components/schemas/{name}") for name in NAMES])
    assert "$dynamicRef" not in source.replace("#/components", "")  # no run-time lookup of anchors
    page_functions = [line for line in source.splitlines() if line.startswith("def _check_page")]
    assert len(page_functions) == 3  # the default, users and orders


def test_outermost_resource_wins_and_bindings_never_change() -> None:
    document = {
        "$defs": {
            "a": {"$id": "https://x.test/a", "$defs": {"t": {"$dynamicAnchor": "t", "type": "string"}}},
            "b": {"$id": "https://x.test/b", "$defs": {"t": {"$dynamicAnchor": "t", "type": "integer"}}},
            "list": {
                "$id": "https://x.test/list",
                "items": {"$dynamicRef": "#t"},
                "$defs": {"t": {"$dynamicAnchor": "t"}},
            },
        }
    }
    references = References(document)
    references.index_document()
    assert references.dynamic_names == {"t"}
    scope = references.enter((), "/$defs/a")
    assert scope == (("t", "/$defs/a/$defs/t"),)
    assert references.enter(scope, "/$defs/b") == scope  # the outer binding stays
    inner = references.enter(scope, "/$defs/list/items")
    assert references.resolve_dynamic("#t", "/$defs/list/items", inner) == "/$defs/a/$defs/t"
    # with nothing outer in scope, the list's own anchor binds
    alone = references.enter((), "/$defs/list")
    assert references.resolve_dynamic("#t", "/$defs/list/items", alone) == "/$defs/list/$defs/t"


def test_a_dynamic_ref_without_a_bookend_is_a_plain_ref() -> None:
    document = {
        "$id": "https://x.test/root",
        "$defs": {"t": {"$anchor": "t", "type": "string"}, "u": {"$dynamicAnchor": "t", "type": "integer"}},
        "items": {"$dynamicRef": "#/$defs/t"},
    }
    module = import_source(compile_schemas(document, [("root", "")]), "bookend")
    assert module.validate_root(["a"]) == []
    assert pairs(module.validate_root([1])) == {("/0", "type")}


def test_the_bundled_spec_validates_each_use_the_same(tmp_path: Any) -> None:
    # the loader makes `$ref: page` a local `#/components/schemas/Page` inside the user-page
    # resource: read against the resource it names nothing, so it is read against the document
    from generator.spec import load_spec

    path = tmp_path / "pages.yaml"
    path.write_text(yaml.safe_dump(PAGES), encoding="utf-8")
    bundled = load_spec(path, "pages.yaml").data
    assert bundled["components"]["schemas"]["UserPage"]["$ref"] == "#/components/schemas/Page"
    source = compile_schemas(bundled, [(name, f"/components/schemas/{name}") for name in NAMES])
    module = import_source(source, "bundled_pages")
    orders = {"items": [{"total": 3}]}
    assert module.validate("OrderPage", orders) == []
    assert pairs(module.validate("UserPage", orders)) == {("/items/0", "required")}
    assert pairs(module.validate("Report", {"users": orders})) == {("/users/items/0", "required")}


def test_a_pointer_the_resource_resolves_keeps_its_json_schema_meaning() -> None:
    document = {
        "$defs": {
            "t": {"type": "integer"},
            "r": {"$id": "https://x.test/r", "$defs": {"t": {"type": "string"}}, "items": {"$ref": "#/$defs/t"}},
        }
    }
    module = import_source(compile_schemas(document, [("r", "/$defs/r")]), "resource_pointer")
    assert module.validate_r(["a"]) == []
    assert pairs(module.validate_r([1])) == {("/0", "type")}
