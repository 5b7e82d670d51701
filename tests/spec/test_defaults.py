"""Every `default` is checked against its own schema by one rule, wherever it is; a valid one
type-checks and becomes the field's type (generator/spec/defaults.py, the models' corrections)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.pipeline import lint
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "anyspec"

# One bad default at each kind of place a schema sits, in a 3.0 and a 3.1 document.
BAD = """\
openapi: {version}
info: {{title: D, version: "1"}}
paths:
  /x:
    get:
      operationId: getX
      parameters:
        - name: limit
          in: query
          schema: {{type: integer, default: "20"}}
        - name: kind
          in: query
          schema: {{$ref: '#/components/schemas/Kind', default: triangle}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                mode: {{type: string, enum: [a, b], default: c}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  n: {{type: integer, default: 1.5}}
components:
  schemas:
    Kind: {{type: string, enum: [circle, square]}}
    Thing:
      type: object
      properties:
        color: {{type: string, enum: [red, green], default: blue}}
        kind: {{allOf: [{{$ref: '#/components/schemas/Kind'}}], default: hexagon}}
        size: {{type: integer, minimum: 1, default: 0}}
        url: {{type: string, format: uri, default: "/relative"}}  # a format is an annotation: accepted
        inner: {{$ref: '#/components/schemas/Inner', default: {{a: x}}}}
    Inner: {{type: object, properties: {{a: {{type: integer}}}}}}
"""


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_default_that_breaks_its_schema_is_refused_at_the_default_wherever_it_is(
    tmp_path: Path, version: str
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(BAD.format(version=version), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        lint([spec])
    lines = str(caught.value).splitlines()
    text = spec.read_text(encoding="utf-8").splitlines()
    # The line that holds each bad default (found by a word on it) -> a fragment of its message.
    expected = {
        'default: "20"': "'20' is not of type 'integer'",  # a parameter
        "Kind', default: triangle": "'triangle' is not one of ['circle', 'square']",  # a $ref sibling
        "mode:": "'c' is not one of ['a', 'b']",  # an inline request body
        "n: {": "1.5 is not of type 'integer'",  # an inline response
        "color:": "'blue' is not one of ['red', 'green']",  # a component's property
        "hexagon": "'hexagon' is not one of ['circle', 'square']",  # an allOf-wrapped $ref
        "size:": "0 is less than the minimum of 1",
        "inner:": "'x' is not of type 'integer' (at /a)",  # through the $ref
    }
    rows = {next(i for i, line in enumerate(text, 1) if word in line): fragment for word, fragment in expected.items()}
    found = {}
    for line in lines:
        where, _, message = line.partition(": ")
        assert message.startswith("the default value "), line
        assert message.endswith(": a default must be valid against its own schema"), line
        file, row, column = where.rsplit(":", 2)
        assert file.endswith("api.yaml"), line
        assert text[int(row) - 1][: int(column) - 1].endswith("default: "), line  # at the default's value
        found[int(row)] = message
    assert sorted(found) == sorted(rows), lines
    for row, fragment in rows.items():
        assert fragment in found[row], (row, found[row])


def test_valid_defaults_type_check_and_become_the_field_type(tmp_path: Path) -> None:
    from generator.pipeline import generate

    generate([DATA / "defaults.yaml"], tmp_path)
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(ROOT / ".mypy_cache" / "defaults")]
    result = subprocess.run([*mypy, "-p", "defaults"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
    script = textwrap.dedent(
        """
        from defaults.models import Inner, Thing
        thing = Thing()
        assert thing.url == "about:blank" and thing.day == "2024-01-02"  # formats: the JSON as written
        assert thing.inner == Inner(a=1)  # a model's default becomes the model
        assert thing.bin == b""  # and a binary one bytes
        assert thing.model_dump(mode="json", by_alias=True)["url"] == "about:blank"
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("schema", "default", "plain", "valid"),
    [
        ({"type": "string", "enum": ["a", "b"], "description": "d"}, "a", True, True),
        ({"type": "boolean", "x-note": 1}, False, True, True),
        ({"type": "string", "enum": ["a", "b"]}, "c", False, False),  # jsonschema says why
        ({"type": "boolean", "enum": [1]}, True, False, False),  # True is no 1 in JSON
        ({"type": "string"}, 1, False, False),
        ({"type": "string", "maxLength": 1}, "ab", False, False),  # a constraint: jsonschema judges it
        ({"type": ["string", "null"]}, "a", False, True),
        ({"type": "integer"}, 1, False, True),
    ],
)
def test_plain_defaults_are_accepted_without_a_validator(
    schema: dict[str, object], default: object, plain: bool, valid: bool
) -> None:
    from generator.spec.defaults import _plainly_valid, default_problems

    node = {**schema, "default": default}
    assert _plainly_valid(node, default) is plain  # type: ignore[arg-type]
    # However a default is judged, the verdict is the one the validator gives.
    assert (default_problems({"components": {"schemas": {"S": node}}}) == []) is valid
