"""Warnings about schemas that cannot do what their author meant (generator/ir/schema_warnings.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.ir.parse import build_api
from generator.spec import load_spec

SPEC = """\
openapi: 3.1.0
info: {{title: t, version: '1'}}
paths: {{}}
components:
  schemas:
    NewItem:
      type: object
      additionalProperties: {closed}
      properties:
        sku: {{type: string}}
    Item:
      allOf:
        - $ref: '#/components/schemas/NewItem'
        - type: object
          properties:
            id: {{type: string}}
            sku: {{type: string}}
"""


def warnings_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(text))
    spec = load_spec(path, "api.yaml")
    build_api(spec)
    return [str(w) for w in spec.warnings]


def test_a_member_a_closed_all_of_branch_refuses_is_a_located_warning(tmp_path: Path) -> None:
    [found] = warnings_of(tmp_path, SPEC.format(closed="false"))
    assert found.startswith("api.yaml:16:17: warning: member 'id' can never be present: allOf branch")
    assert "#/components/schemas/NewItem sets additionalProperties: false" in found  # sku is declared by both


@pytest.mark.parametrize(
    "text",
    [
        SPEC.format(closed="true"),  # the base is open
        SPEC.format(closed="false").replace(
            "        sku: {type: string}\n    Item", "        sku: {type: string}\n        id: {}\n    Item"
        ),
        SPEC.format(closed="false").replace("            id: {type: string}\n", ""),  # nothing else declared
    ],
)
def test_no_warning_where_every_member_can_be_present(tmp_path: Path, text: str) -> None:
    assert warnings_of(tmp_path, text) == []


def test_generate_prints_it_and_strict_warnings_makes_it_fatal(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(SPEC.format(closed="false"))
    runner = CliRunner()
    result = runner.invoke(main, ["generate", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0 and "warning: member 'id' can never be present" in result.output
    strict = runner.invoke(main, ["lint", str(path), "--strict-warnings"])
    assert strict.exit_code == 2 and "member 'id' can never be present" in strict.output
