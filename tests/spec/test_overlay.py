"""OpenAPI Overlays: applying actions, JSONPath targets, and where findings in the result are located."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.adapters.jsonpath import compile_query
from generator.diagnostics import SpecError
from generator.ir.parse import build_api
from generator.spec import LoadedSpec, load_spec
from generator.spec.overlay import apply_action, location_of, normalized_path
from tests.spec.support import write

SPEC = """\
openapi: 3.1.0
info:
  title: Pets
  version: "1"
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - name: limit
          in: query
          schema: {type: integer}
        - name: cursor
          in: query
          schema: {type: string}
        - name: debug
          in: query
          schema: {type: boolean}
      responses:
        "200":
          description: ok
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tags:
          type: array
          items: {type: string}
"""


def overlay(*actions: str) -> str:
    return "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n" + "".join(actions)


def load(tmp_path: Path, *texts: str) -> LoadedSpec:
    """pets.yaml with overlays o0.yaml, o1.yaml, ... (named relative to tmp_path, the working folder)."""
    spec = write(tmp_path, "pets.yaml", SPEC)
    for index, text in enumerate(texts):
        write(tmp_path, f"o{index}.yaml", text)
    paths = [Path(f"o{index}.yaml") for index in range(len(texts))]
    return load_spec(spec, "pets.yaml", validate=False, overlays=paths)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def refusal(tmp_path: Path, *texts: str) -> str:
    with pytest.raises(SpecError) as caught:
        load(tmp_path, *texts)
    return str(caught.value)


def test_update_merges_objects_recursively_and_replaces_the_rest(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        overlay(
            "  - target: $.components.schemas.Pet\n"
            "    update:\n"
            "      description: A pet\n"
            "      required: [name, age]\n"
            "      properties:\n"
            "        age: {type: integer}\n"
            "        name: {maxLength: 10}\n"
        ),
    )
    pet = spec.data["components"]["schemas"]["Pet"]
    assert pet["description"] == "A pet"
    assert pet["required"] == ["name", "age"]  # an array replaces the array (Overlay 1.0.0)
    assert pet["properties"]["name"] == {"type": "string", "maxLength": 10}  # objects merge member by member
    assert pet["properties"]["age"] == {"type": "integer"}
    assert pet["properties"]["tags"]["items"] == {"type": "string"}


def test_update_appends_to_a_selected_array_and_remove_drops_each_selected_node(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        overlay(
            "  - target: $.paths.*.get.parameters\n"
            "    update: {name: page, in: query, schema: {type: integer}}\n"
            "  - target: $.paths.*.get.parameters[?@.schema.type != 'integer']\n"
            "    remove: true\n"
        ),
    )
    parameters = spec.data["paths"]["/pets"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == ["limit", "page"]


def test_overlays_apply_in_order_each_to_the_result_of_the_last(tmp_path: Path) -> None:
    first = overlay("  - target: $.info\n    update: {title: First}\n")
    second = overlay("  - target: $[?@.title == 'First']\n    update: {title: Second}\n")
    assert load(tmp_path, first, second).data["info"]["title"] == "Second"
    assert load(tmp_path, second, first).data["info"]["title"] == "First"


def test_a_value_an_overlay_supplied_is_located_in_the_overlay(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        overlay(
            "  - target: $.components.schemas.Pet.properties\n"
            "    update:\n"
            "      age:\n"
            "        type: integer\n"
            "        default: old\n"
        ),
    )
    with pytest.raises(SpecError) as caught:
        build_api(spec)  # defaults are sdkgen's own check (generator/spec/defaults.py)
    assert str(caught.value).startswith("o0.yaml:10:18: the default value 'old' is not of type 'integer'")


def test_the_specs_values_keep_their_lines_after_items_before_them_are_removed(tmp_path: Path) -> None:
    spec = load(tmp_path, overlay("  - target: $.paths['/pets'].get.parameters[0]\n    remove: true\n"))
    assert spec.locate("/paths/~1pets/get/parameters/0/name").line == 13
    assert spec.locate("/paths/~1pets/get/parameters/1/schema/type").line == 18
    assert str(spec.locate("/components/schemas/Pet/required/0")) == "pets.yaml:26:18"


def test_a_target_that_selects_nothing_is_a_located_warning(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        overlay("  - target: $.paths['/cats'].get\n    update: {summary: x}\n"),
    )
    assert [str(w) for w in spec.warnings] == [
        "o0.yaml:6:13: warning: target \"$.paths['/cats'].get\" selects nothing in pets.yaml: the action does nothing"
    ]


def test_the_manifest_digest_of_each_overlay(tmp_path: Path) -> None:
    import hashlib

    text = overlay("  - target: $.info\n    update: {title: T}\n")
    spec = load(tmp_path, text)
    assert spec.overlays == {"o0.yaml": hashlib.sha256(text.encode()).hexdigest()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: true}]\n",
            "o0.yaml:1:10: unsupported Overlay version '2.0.0'",
        ),
        (
            "info: {title: t, version: '1'}\nactions: [{target: $.info, remove: true}]\n",
            "the `overlay` member is missing",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t}\nactions: [{target: $.info, remove: true}]\n",
            "info.version must be a string",
        ),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", "o0.yaml:3:10: an overlay needs `actions`"),
        (
            overlay("  - target: $.paths[\n    remove: true\n"),
            "o0.yaml:6:13: target '$.paths[' is not RFC 9535 JSONPath",
        ),
        (overlay("  - target: info\n    remove: true\n"), "o0.yaml:6:13: an action needs a `target`: a JSONPath query"),
        (overlay("  - target: $.info\n    copy: $.x\n"), "o0.yaml:7:5: `copy` is Overlay 1.1, not 1.0"),
        (overlay("  - target: $.info\n    replace: {}\n"), "o0.yaml:7:5: unknown action member 'replace'"),
        (overlay("  - target: $.info.title\n    update: x\n"), "o0.yaml:6:13: target '$.info.title' selects a string"),
        (overlay("  - target: $.info\n    update: x\n"), "o0.yaml:7:13: target '$.info' selects an object"),
        (overlay("  - target: $\n    remove: true\n"), "`remove` cannot remove the whole document"),
        ("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "this is an OpenAPI document, not an overlay"),
    ],
)
def test_what_is_no_overlay_is_refused_located_in_the_overlay(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in refusal(tmp_path, text)


def test_extends_naming_another_spec_warns(tmp_path: Path) -> None:
    text = overlay("  - target: $.info\n    update: {title: T}\n").replace(
        "actions:", "extends: ./other.yaml\nactions:"
    )
    spec = load(tmp_path, text)
    assert "o0.yaml:5:10: warning: extends names './other.yaml', but the overlay is applied to pets.yaml" in str(
        spec.warnings[0]
    )
    same = overlay("  - target: $.info\n    update: {title: T}\n").replace("actions:", "extends: pets.yaml\nactions:")
    assert load(tmp_path, same).warnings == []


@pytest.mark.parametrize("name", ["plain", "it's", "back\\slash", "/paths/{id}", "tab\there", "ünï", "\x01"])
def test_a_normalized_path_selects_exactly_its_node(name: str) -> None:
    document = {"a": [{"b": 1}, {name: {"c": 2}, "other": 3}]}
    location = location_of(document, "/a/1/" + name.replace("~", "~0").replace("/", "~1"))
    assert location == ("a", 1, name)
    found = compile_query(normalized_path(location)).find(document)
    assert found == [(("a", 1, name), {"c": 2})]


def test_apply_action_is_what_an_overlay_does() -> None:
    document = {"required": ["a", "b", "a"], "properties": {"a": {"type": "string"}}}
    assert apply_action(document, "$.required[?@ == 'a']", remove=True) == 2
    assert apply_action(document, "$.properties", update={"a": {"maxLength": 1}, "b": {}}) == 1
    assert apply_action(document, "$.required", update="c") == 1
    assert document == {"required": ["b", "c"], "properties": {"a": {"type": "string", "maxLength": 1}, "b": {}}}
    assert apply_action(document, "$.nothing", remove=True) == 0
