"""Fuzzing: mutated specs either generate a package that imports, or are refused with a location.

A smoke run is part of `make test`; `make fuzz` runs many more examples
(SDKGEN_FUZZ_EXAMPLES). Any other outcome — a traceback, an unlocated message, a package
that does not import — fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.pipeline import render_spec
from tests.conftest import SPECS

EXAMPLES = int(os.environ.get("SDKGEN_FUZZ_EXAMPLES", "8"))
SPEC_DATA = {path.name: yaml.safe_load(path.read_text()) for path in sorted(SPECS.glob("*.yaml"))}
LOCATED = re.compile(r"^\S+?(:\d+:\d+|#/\S*)?: \S")

odd_text = st.text(
    alphabet=st.sampled_from(["a", "Z", "_", "-", " ", "é", "\u200b", "\U0001f600", "\u0301", "{", "$", "/", "1"]),
    max_size=12,
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    odd_text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=8,
)


def pointers(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += pointers(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += pointers(value, (*prefix, index))
    return found


@st.composite
def mutated_specs(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(SPEC_DATA)))
    data = yaml.safe_load(yaml.safe_dump(SPEC_DATA[name]))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        targets = [p for p in pointers(data) if p]
        path = draw(st.sampled_from(targets))
        parent = data
        for token in path[:-1]:
            parent = parent[token]
        key = path[-1]
        action = draw(st.sampled_from(["drop", "replace", "nest", "rename"]))
        if action == "drop":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(json_values)
        elif action == "nest":
            value = parent[key]
            for _ in range(draw(st.integers(min_value=1, max_value=60))):
                value = {"allOf": [value]} if draw(st.booleans()) else [value]
            parent[key] = value
        elif isinstance(parent, dict):
            parent[draw(odd_text)] = parent.pop(key)
    return name, data


def check_outcome(spec_path: Path, tmp: Path) -> str:
    try:
        rendered = render_spec(spec_path)
    except SpecError as error:
        assert error.diagnostics
        for diagnostic in error.diagnostics:
            assert LOCATED.match(str(diagnostic)), str(diagnostic)
        return "refused"
    folder = tmp / "out" / rendered.package
    folder.mkdir(parents=True, exist_ok=True)
    for path, content in rendered.files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)
    probe = f"import sys; sys.path.insert(0, {str(tmp / 'out')!r}); import {rendered.package}"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return "generated"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 50,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=mutated_specs())
def test_mutated_specs_generate_or_are_refused_cleanly(tmp_path: Path, case: tuple[str, Any]) -> None:
    name, data = case
    spec_path = tmp_path / name
    spec_path.write_text(yaml.safe_dump(data, allow_unicode=True))
    check_outcome(spec_path, tmp_path)


@settings(
    max_examples=max(3, EXAMPLES // 4),
    deadline=None,
    derandomize=EXAMPLES <= 50,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    properties=st.dictionaries(
        st.from_regex(r"[a-zA-Z][a-zA-Z0-9_]{0,10}", fullmatch=True),
        st.sampled_from(
            [
                {"type": "string"},
                {"type": "integer", "minimum": 0},
                {"type": ["number", "null"]},
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "additionalProperties": {"type": "integer"}},
                {"enum": ["a", "b"]},
                {"$ref": "#/components/schemas/Leaf"},
            ]
        ),
        min_size=1,
        max_size=8,
    ),
    required=st.booleans(),
)
def test_random_valid_specs_generate(tmp_path: Path, properties: dict[str, Any], required: bool) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "random", "version": "1", "x-sdkgen-package": "fuzzed"},
        "paths": {
            "/items": {
                "post": {
                    "operationId": "createItem",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "properties": properties,
                    **({"required": sorted(properties)} if required else {}),
                },
                "Leaf": {"type": "object", "properties": {"name": {"type": "string"}}},
            }
        },
    }
    spec_path = tmp_path / "random.yaml"
    spec_path.write_text(yaml.safe_dump(spec))
    assert check_outcome(spec_path, tmp_path) in ("generated", "refused")
