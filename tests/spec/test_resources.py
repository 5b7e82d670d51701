"""`$ref`s resolved against the base URI enclosing `$id`s set: embedded resources and anchors."""

from __future__ import annotations

from pathlib import Path

from generator.spec import load_spec
from generator.spec.resources import index_resources, join_uri
from tests.spec.support import MINIMAL, error_of, write

COMPONENTS = """\
components:
  schemas:
    User:
      $id: https://example.com/schemas/user
      type: object
      properties:
        name: {type: string}
    Page:
      $id: https://example.com/schemas/page
      type: object
      properties:
        items: {type: array, items: {$dynamicRef: "#item"}}
      $defs:
        item: {$dynamicAnchor: item}
    UserPage:
      $id: https://example.com/schemas/user-page
      $ref: page
      $defs:
        item: {$dynamicAnchor: item, $ref: user}
        local: {$ref: "#/$defs/item"}
    Report:
      type: object
      properties:
        users: {$ref: "https://example.com/schemas/user-page"}
        named: {$ref: "#named"}
        first: {$ref: "https://example.com/schemas/page#/properties/items"}
    Named:
      $anchor: named
      type: string
"""


def _spec(tmp_path: Path, components: str = COMPONENTS) -> Path:
    return write(tmp_path, "main.yaml", MINIMAL + components)


def test_refs_naming_embedded_resources_become_local_pointers(tmp_path: Path) -> None:
    schemas = load_spec(_spec(tmp_path), "main.yaml").data["components"]["schemas"]
    assert schemas["UserPage"]["$ref"] == "#/components/schemas/Page"
    assert schemas["UserPage"]["$defs"]["item"]["$ref"] == "#/components/schemas/User"
    # a pointer fragment inside a resource is read against the resource first
    assert schemas["UserPage"]["$defs"]["local"]["$ref"] == "#/components/schemas/UserPage/$defs/item"
    report = schemas["Report"]["properties"]
    assert report["users"]["$ref"] == "#/components/schemas/UserPage"
    assert report["named"]["$ref"] == "#/components/schemas/Named"
    assert report["first"]["$ref"] == "#/components/schemas/Page/properties/items"
    assert schemas["Page"]["properties"]["items"]["items"] == {"$dynamicRef": "#item"}  # the compiler's business


def test_a_relative_ref_under_an_id_leads_where_the_id_says(tmp_path: Path) -> None:
    path = _spec(tmp_path, COMPONENTS.replace("$ref: page", "$ref: missing-page"))
    message = error_of(path)
    assert message.startswith("main.yaml:22:13: $ref 'missing-page': a remote reference"), message
    assert "(https://example.com/schemas/missing-page)" in message
    assert "--ref-map https://example.com/schemas/=DIR" in message


def test_an_unknown_anchor_is_refused_located(tmp_path: Path) -> None:
    message = error_of(_spec(tmp_path, COMPONENTS.replace('{$ref: "#named"}', '{$ref: "#nameless"}')))
    assert message.startswith("main.yaml:30:23: $ref '#nameless': no $anchor 'nameless' is declared in"), message


def test_an_id_naming_a_sibling_file_wins_over_the_file(tmp_path: Path) -> None:
    # no file `shared.yaml` exists: the `$id` of a component is what the ref names
    components = """\
components:
  schemas:
    Shared: {$id: shared.yaml, type: integer}
    Use: {$ref: shared.yaml}
"""
    schemas = load_spec(_spec(tmp_path, components), "main.yaml").data["components"]["schemas"]
    assert schemas["Use"] == {"$ref": "#/components/schemas/Shared"}


def test_a_mapped_file_declares_resources_too(tmp_path: Path) -> None:
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    write(
        vendor,
        "money.json",
        '{"$id": "https://v.test/money", "$defs": {"cents": {"$anchor": "cents", "type": "integer"}}}',
    )
    components = """\
components:
  schemas:
    Price: {$ref: "https://v.test/money#cents"}
"""
    text = MINIMAL.replace('version: "1"', 'version: "1"\n  x-sdkgen-ref-map: {"https://v.test/": vendor}') + components
    spec = load_spec(write(tmp_path, "main.yaml", text), "main.yaml")
    assert spec.data["components"]["schemas"]["Price"] == {"type": "integer", "$anchor": "cents"}
    assert set(spec.referenced_files) == {"vendor/money.json"}


def test_the_index_records_bases_resources_and_anchors() -> None:
    document = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {
                "A": {"$id": "https://x.test/a/", "$defs": {"b": {"$id": "b", "$anchor": "here"}}},
                "C": {"example": {"$id": "https://x.test/not-a-schema"}},
            }
        },
    }
    index = index_resources(document, "file:///spec.yaml")
    assert index.resources == {
        "file:///spec.yaml": "",
        "https://x.test/a/": "/components/schemas/A",
        "https://x.test/a/b": "/components/schemas/A/$defs/b",
    }
    assert index.base_at("/components/schemas/A/$defs/b/type") == "https://x.test/a/b"
    assert index.base_at("/components/schemas/C") == "file:///spec.yaml"
    assert index.locate("https://x.test/a/b#here") == "/components/schemas/A/$defs/b"
    assert index.locate("https://x.test/elsewhere") is None
    assert join_uri("https://x.test/a/", "#") == "https://x.test/a/"
