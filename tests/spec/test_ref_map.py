"""Ref maps: remote `$ref`s read from local folders (`--ref-map`, `info.x-sdkgen-ref-map`),
recorded in the fast path's fingerprint, and a located refusal that says how to map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diagnostics import SpecError
from generator.spec import load_spec
from generator.spec.ref_map import mapped_path, parse_ref_map

SPEC = """openapi: 3.1.0
info:
  title: Shop
  version: "1.0"
  x-sdkgen-package: shop
{info_extra}paths: {{}}
components:
  schemas:
    Item:
      type: object
      required: [price]
      properties:
        price:
          $ref: https://schemas.example.com/common/money.json
"""
MONEY = {
    "type": "object",
    "required": ["amount", "currency"],
    "properties": {"amount": {"type": "integer", "minimum": 0}, "currency": {"$ref": "currency.json"}},
}
CURRENCY = {"type": "string", "pattern": "^[A-Z]{3}$"}


def _lay_out(root: Path, info_extra: str = "") -> Path:
    (root / "vendor" / "common").mkdir(parents=True)
    (root / "vendor" / "common" / "money.json").write_text(json.dumps(MONEY))
    (root / "vendor" / "common" / "currency.json").write_text(json.dumps(CURRENCY))
    spec = root / "shop.yaml"
    spec.write_text(SPEC.format(info_extra=info_extra))
    return spec


def test_parse_and_map() -> None:
    [(prefix, folder)] = parse_ref_map(["https://x.test/a=b/c=vendor"])  # the last "=" separates
    assert prefix == "https://x.test/a=b/c" and Path(folder).is_absolute()
    with pytest.raises(SpecError, match="expected URI-PREFIX=DIR"):
        parse_ref_map(["https://x.test/"])


def test_a_mapped_uri_is_a_file_below_its_folder(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "money.yaml").write_text("type: integer\n")
    ref_map = (("https://x.test/", str(tmp_path)), ("https://x.test/v1/special/", str(tmp_path / "none")))
    assert mapped_path("https://x.test/v1/money", ref_map) == tmp_path / "v1" / "money.yaml"  # suffix added
    assert mapped_path("https://x.test/v1/special/money", ref_map) is None  # the longest prefix decides
    assert mapped_path("https://other.test/money", ref_map) is None
    with pytest.raises(SpecError, match="does not hold"):
        mapped_path("https://x.test/../secret", ref_map)


def test_without_a_mapping_the_refusal_is_located_and_says_how_to_map(tmp_path: Path) -> None:
    spec = _lay_out(tmp_path)
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.location is not None and diagnostic.location.line == 14
    assert "--ref-map https://schemas.example.com/common/=DIR" in diagnostic.message
    assert "x-sdkgen-ref-map" in diagnostic.message


def test_the_command_lines_map_and_the_specs_map_give_the_same_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = _lay_out(tmp_path)
    result = CliRunner().invoke(
        main, ["generate", str(spec), "--out", "cli", "--ref-map", "https://schemas.example.com/=vendor"]
    )
    assert result.exit_code == 0, result.output
    validators = (tmp_path / "cli" / "shop" / "validators.py").read_text()
    assert "^[A-Z]{3}" in validators  # the currency file, reached through the money file's relative $ref
    manifest = json.loads((tmp_path / "cli" / "shop" / ".sdkgen.json").read_text())
    assert sorted(manifest["referenced_files"]) == ["vendor/common/currency.json", "vendor/common/money.json"]

    spec.write_text(SPEC.format(info_extra="  x-sdkgen-ref-map:\n    https://schemas.example.com/: vendor\n"))
    result = CliRunner().invoke(main, ["generate", str(spec), "--out", "info"])
    assert result.exit_code == 0, result.output
    same = (tmp_path / "info" / "shop" / "validators.py").read_text()
    assert same.split('"""', 1)[1] == validators.split('"""', 1)[1]  # the header names the spec's digest


def test_the_fast_path_sees_a_change_in_a_mapped_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = _lay_out(tmp_path, "  x-sdkgen-ref-map:\n    https://schemas.example.com/: vendor\n")

    def generate() -> str:
        result = CliRunner().invoke(main, ["generate", str(spec), "--out", "out"])
        assert result.exit_code == 0, result.output
        return result.output

    assert "written" in generate()
    assert "unchanged" in generate()
    (tmp_path / "vendor" / "common" / "currency.json").write_text(json.dumps({"type": "string", "maxLength": 3}))
    assert "written" in generate()
    assert "at most 3 characters" in (tmp_path / "out" / "shop" / "validators.py").read_text()
    assert "unchanged" in generate()
