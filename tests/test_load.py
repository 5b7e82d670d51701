"""Load step: YAML with positions, $ref bundling, spec validation, located errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.load import load_spec, parse_yaml, parse_yaml_data, resolve_pointer
from tests.conftest import SPECS

MINIMAL = """\
openapi: 3.1.0
info:
  title: t
  version: "1"
paths: {}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(SpecError) as caught:
        load_spec(path, path.name)
    return str(caught.value)


def test_positions_are_recorded_by_pointer() -> None:
    spec = load_spec(SPECS / "zuddl.yaml", "zuddl.yaml")
    location = spec.locate("/components/schemas/Session/properties/id/format")
    assert (location.file, location.line) == ("zuddl.yaml", 182)
    assert str(spec.locate("/paths/~1v1~1events~1{eventId}~1sessions/post")).startswith("zuddl.yaml:21:7")


def test_missing_pointer_falls_back_to_nearest_ancestor() -> None:
    spec = load_spec(SPECS / "zuddl.yaml", "zuddl.yaml")
    assert spec.locate("/info/nope/deeper") == spec.locate("/info")


def test_plain_json_values() -> None:
    data, positions = parse_yaml("a: 2023-11-07\nb: [1, 1.5, true, null]\n200: x\non: y\n", "f.yaml")
    assert data == {"a": "2023-11-07", "b": [1, 1.5, True, None], "200": "x", "on": "y"}
    assert positions["/b/1"] == (2, 8)


def test_plain_scalars_are_read_as_yaml_1_2() -> None:
    # PyYAML alone reads YAML 1.1: Cohere's `enum: [..., OFF]` became False, `0755` 493,
    # `1:20` 80. OpenAPI recommends YAML 1.2, where these are what they look like (as in JSON).
    text = (
        "enum: [CONTEXTUAL, STRICT, OFF, on, yes, No, y]\n"
        "numbers: [0755, 0o17, 0x1f, 1_000, '1:20', 1:20, 1e3, .5, 5., -3, +7]\n"
        "flags: [true, True, FALSE, ~, null, Null]\n"
        "tagged: [!!str 0755, !!bool yes, !!int '12', '0755']\n"
        "empty:\n"
    )
    data, _ = parse_yaml(text, "f.yaml")
    assert data == {
        "enum": ["CONTEXTUAL", "STRICT", "OFF", "on", "yes", "No", "y"],
        "numbers": [755, 15, 31, "1_000", "1:20", "1:20", 1000.0, 0.5, 5.0, -3, 7],
        "flags": [True, True, False, None, None, None],
        "tagged": ["0755", True, 12, "0755"],
        "empty": None,
    }
    assert data == parse_yaml_data(text, "f.yaml")


def test_a_yaml_1_1_boolean_in_a_string_enum_generates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace("paths: {}", "paths: {}\ncomponents:\n  schemas:\n    Mode: {type: string, enum: [FAST, OFF]}"),
    )
    assert load_spec(path).data["components"]["schemas"]["Mode"]["enum"] == ["FAST", "OFF"]


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("a: 1\na: 2\n", "f.yaml:2:1", "duplicate key 'a'"),
        ("a:\n\tb: 1\n", "f.yaml:2:1", "tab"),
        ("a: [1, 2\n", "f.yaml:2:1", "invalid YAML"),
        ("", "f.yaml:1:1", "empty file"),
        ("a: !!binary aGk=\n", "f.yaml:1:4", "unsupported YAML tag"),
        ("a: .inf\n", "f.yaml:1:4", "not a JSON number"),
        ("a: 1\n---\nb: 2\n", "f.yaml:3:1", "more than one YAML document"),
    ],
)
def test_bad_yaml_is_located(text: str, where: str, fragment: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_yaml(text, "f.yaml")
    assert str(caught.value).startswith(where), str(caught.value)
    assert fragment in str(caught.value)


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    with pytest.raises(SpecError, match="aliases expand past a sane bound"):
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(SpecError, match="nested more than"):
        parse_yaml("a: " + "[" * 300 + "]" * 300 + "\n", "deep.yaml")


def test_non_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.encode() + b"x-note: caf\xe9\n")
    assert error_of(path).startswith("latin1.yaml:6:12: not valid UTF-8")


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.yaml", MINIMAL)
    with pytest.raises(SpecError, match="over the 10-byte limit"):
        load_spec(path, "big.yaml", max_bytes=10)


def test_swagger_2_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "old.yaml", 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n')
    assert "old.yaml:1:10: Swagger 2.0 is not supported" in error_of(path)


def test_spec_validator_findings_are_located(tmp_path: Path) -> None:
    text = (SPECS / "zuddl.yaml").read_text().replace("kind:\n          type: string", "kind:\n          type: strng")
    path = write(tmp_path, "z.yaml", text)
    message = error_of(path)
    assert message.startswith("z.yaml:175:17: invalid OpenAPI document:"), message
    assert "strng" in message


def test_unresolvable_local_ref(tmp_path: Path) -> None:
    text = (SPECS / "zuddl.yaml").read_text().replace('schemas/SessionFile"', 'schemas/SessionFiel"')
    path = write(tmp_path, "z.yaml", text)
    assert error_of(path).startswith("z.yaml:229:19: unresolvable $ref '#/components/schemas/SessionFiel'")


def test_sibling_file_components_are_hoisted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "common.yaml",
        """\
        components:
          schemas:
            Thing:
              type: object
              properties:
                child: {$ref: "#/components/schemas/Thing"}
                tag: {$ref: "#/components/schemas/Tag"}
            Tag: {type: string, maxLength: 3}
        """,
    )
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Box:\n      type: object\n"
            '      properties:\n        thing: {$ref: "common.yaml#/components/schemas/Thing"}\n',
        ),
    )
    spec = load_spec(main, "main.yaml")
    schemas = spec.data["components"]["schemas"]
    assert schemas["Box"]["properties"]["thing"] == {"$ref": "#/components/schemas/Thing"}
    assert schemas["Thing"]["properties"]["child"] == {"$ref": "#/components/schemas/Thing"}
    assert schemas["Tag"] == {"type": "string", "maxLength": 3}
    assert set(spec.referenced_files) == {"common.yaml"}
    assert str(spec.locate("/components/schemas/Tag/maxLength")) == "common.yaml:8:36"


def test_sibling_file_non_component_is_inlined(tmp_path: Path) -> None:
    write(tmp_path, "name.yaml", "type: string\nminLength: 1\n")
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Name:\n      $ref: name.yaml\n      description: a name\n",
        ),
    )
    spec = load_spec(main, "main.yaml")
    assert resolve_pointer(spec.data, "/components/schemas/Name") == {
        "type": "string",
        "minLength": 1,
        "description": "a name",
    }


def test_ref_to_missing_file(tmp_path: Path) -> None:
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace("paths: {}", "paths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: gone.yaml\n"),
    )
    assert error_of(main).startswith("main.yaml:9:13: $ref to a missing file 'gone.yaml'")


def test_cyclic_inlined_refs(tmp_path: Path) -> None:
    write(tmp_path, "loop.yaml", "type: object\nproperties:\n  again: {$ref: 'loop.yaml'}\n")
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace("paths: {}", "paths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: loop.yaml\n"),
    )
    message = error_of(main)
    assert message.startswith("loop.yaml:3:17: cyclic $ref"), message


def test_remote_refs_are_refused(tmp_path: Path) -> None:
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace(
            "paths: {}", "paths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: https://example.com/a.yaml\n"
        ),
    )
    assert "remote references are not supported" in error_of(main)


def test_both_specs_load() -> None:
    for name in ("eventapp.yaml", "zuddl.yaml"):
        spec = load_spec(SPECS / name, name)
        assert spec.data["openapi"] == "3.1.0"
        assert len(spec.sha256) == 64


def test_a_default_that_breaks_its_schema_is_located_at_the_default(tmp_path: Path) -> None:
    # openapi-spec-validator reports these with an empty path: found through the schema.
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths: {}
        components:
          schemas:
            Page:
              type: object
              properties:
                size:
                  type: integer
                  default: '12'
        """,
    )
    assert "api.yaml:11:20: invalid OpenAPI document: the default value '12' is not of type 'integer'" in error_of(path)


def test_a_mistake_deep_in_a_schema_is_reported_not_the_reference_branch(tmp_path: Path) -> None:
    # Each schema is "a Schema Object or a Reference Object": the finding to show is the
    # one inside the schema, not "'$ref' is a required property" at the schema's top.
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths: {}
        components:
          schemas:
            Things:
              type: array
              items:
                type: object
                properties:
                  meta:
                    anyOf:
                      - type: string
                      - type: 'null'
        """,
    )
    message = error_of(path)
    assert "'$ref' is a required property" not in message
    assert "api.yaml:14:23: invalid OpenAPI document: 'null' is not one of" in message
    assert "OpenAPI 3.0 has no 'null' type: write `nullable: true`" in message


@pytest.mark.parametrize(
    ("dialect", "refused"),
    [
        ("http://json-schema.org/draft-04/schema#", True),
        ("https://json-schema.org/draft/2019-09/schema", True),
        ("https://json-schema.org/draft/2020-12/schema", False),
        ("https://spec.openapis.org/oas/3.1/dialect/base", False),
    ],
)
def test_a_json_schema_dialect_other_than_2020_12_is_refused(tmp_path: Path, dialect: str, refused: bool) -> None:
    path = write(tmp_path, "api.yaml", MINIMAL + f"jsonSchemaDialect: '{dialect}'\n")
    if refused:
        assert f"api.yaml:6:20: jsonSchemaDialect {dialect!r} is not supported" in error_of(path)
    else:
        load_spec(path)


def test_an_unknown_schema_local_dialect_is_located(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "api.yaml",
        MINIMAL
        + "components:\n"
        + "  schemas:\n"
        + "    Thing:\n"
        + "      $schema: 'https://json-schema.org/draft-05/schema#'\n"
        + "      type: object\n",
    )
    message = error_of(path)
    assert "api.yaml:9:16: invalid OpenAPI document: Unknown JSON Schema dialect" in message, message


def test_memoised_scalar_tags_are_the_safe_loaders() -> None:
    """The loader looks each distinct scalar's implicit tag up once: the same tags as PyYAML's."""
    import yaml

    from generator.load import _BaseLoader, _Loader

    def tags(loader: type[yaml.SafeLoader], text: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        stack = list(yaml.compose_all(text, Loader=loader))
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                found.append((node.tag, node.value))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in node.value for part in pair)
        return found

    tricky = "a: [yes, 'yes', on, ON, 1, '1', 0x1f, 1_000, 1.5e3, .inf, ~, null, '', 2024-01-01, 'on', \"on\", y, n]\n"
    for text in [tricky, *(path.read_text() for path in sorted(SPECS.glob("*.yaml")))]:
        expected = tags(_BaseLoader, text)
        assert tags(_Loader, text) == expected
    assert ("tag:yaml.org,2002:bool", "on") in tags(_Loader, tricky)
    assert ("tag:yaml.org,2002:str", "on") in tags(_Loader, tricky)


def test_refs_inside_extensions_are_left_to_their_tool(tmp_path: Path) -> None:
    # Cohere's spec: x-fern-examples code samples `$ref` TypeScript files that are not there.
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /things:
            get:
              responses:
                "200": {description: ok}
              x-fern-examples:
                - code-samples:
                    - sdk: typescript
                      code: {$ref: ./snippets/list-things.ts}
        components:
          schemas:
            Thing:
              type: object
              properties:
                x-count: {$ref: "#/components/schemas/Count"}
              x-codeSamples: [{source: {$ref: ./snippets/thing.js}}]
            Count: {type: integer}
        """,
    )
    spec = load_spec(path)
    operation = spec.data["paths"]["/things"]["get"]
    assert operation["x-fern-examples"][0]["code-samples"][0]["code"] == {"$ref": "./snippets/list-things.ts"}
    assert spec.referenced_files == {}
    # a property named x-... is a schema, not an extension: its $ref is still checked
    broken = path.read_text().replace('schemas/Count"}', 'schemas/Cont"}')
    assert "unresolvable $ref '#/components/schemas/Cont'" in error_of(write(tmp_path, "b.yaml", broken))


def test_an_undefined_required_property_under_allof_is_located(tmp_path: Path) -> None:
    # openapi-spec-validator reports this with no path (it was FILE:1:1); Azure OpenAI's spec has it.
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths: {}
        components:
          schemas:
            Base: {type: object, properties: {role: {type: string}}}
            Message:
              allOf:
                - $ref: '#/components/schemas/Base'
                - type: object
                  properties:
                    content: {type: string}
              required:
                - content
                - function_call_id
        """,
    )
    message = error_of(path)
    assert message.startswith(
        "api.yaml:15:11: required property 'function_call_id' is defined neither in properties nor in any"
    ), message
    assert "define it or drop it from required" in message


def test_a_default_failing_a_oneof_is_located_at_the_default(tmp_path: Path) -> None:
    # The finding is deep in the oneOf (no `default` there): the top schema holds it.
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths: {}
        components:
          schemas:
            Request:
              type: object
              properties:
                stop:
                  oneOf:
                    - type: string
                    - type: array
                      items: {type: string}
                  default: 12
        """,
    )
    message = error_of(path)
    assert message.startswith("api.yaml:14:20: invalid OpenAPI document: the default value 12"), message


def test_a_boolean_exclusive_minimum_in_3_1_says_how_to_write_it(tmp_path: Path) -> None:
    # OpenAI's 3.1 spec keeps the 3.0 spelling `minimum: 0, exclusiveMinimum: true`.
    path = write(
        tmp_path,
        "api.yaml",
        MINIMAL
        + "components:\n  schemas:\n    Temp:\n      type: number\n      minimum: 0\n      exclusiveMinimum: true\n",
    )
    message = error_of(path)
    assert message.startswith("api.yaml:11:25: invalid OpenAPI document: True is not of type 'number'"), message
    assert "in 3.1 write `exclusiveMinimum: <limit>` in place of `minimum: <limit>, exclusiveMinimum: true`" in message
