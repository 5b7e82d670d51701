"""YAML 1.2 sources: JSON data with positions, and every non-JSON construct refused, located."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.spec import load_spec
from generator.spec.yaml_source import parse_yaml, parse_yaml_data
from tests.conftest import SPECS
from tests.spec.support import MINIMAL, error_of, write


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
        ("a: !!float .nan\n", "f.yaml:1:4", "not a JSON number"),
        ("a: !!int ''\n", "f.yaml:1:4", "'' is not a valid int"),
        ("a: !!int 0x1G\n", "f.yaml:1:4", "'0x1G' is not a valid int"),
        ("a: !!bool maybe\n", "f.yaml:1:4", "'maybe' is not a valid bool"),
        ("a: [!!float x]\n", "f.yaml:1:5", "'x' is not a valid float"),
        ("a: 1\n---\nb: 2\n", "f.yaml:3:1", "more than one YAML document"),
    ],
)
def test_bad_yaml_is_located(text: str, where: str, fragment: str) -> None:
    for loader in (parse_yaml, parse_yaml_data):  # the positions loader and the data-only one
        with pytest.raises(SpecError) as caught:
            loader(text, "f.yaml")
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


def test_memoised_scalar_tags_are_the_safe_loaders() -> None:
    """The loader looks each distinct scalar's implicit tag up once: the same tags as PyYAML's."""
    import yaml

    from generator.spec.yaml_source import _BaseLoader, _Loader

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
