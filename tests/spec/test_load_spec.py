"""The load step's entry point: `load_spec`, with and without the validation pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Location, SpecError
from generator.spec import load_spec, validate_openapi
from tests.conftest import SPECS


def test_both_specs_load() -> None:
    for name in ("eventapp.yaml", "zuddl.yaml"):
        spec = load_spec(SPECS / name, name)
        assert spec.data["openapi"] == "3.1.0"
        assert len(spec.sha256) == 64


def test_validation_can_be_left_to_the_caller(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text('openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {/a: {get: {operationId: 12}}}\n')
    spec = load_spec(path, "api.yaml", validate=False)
    assert spec.data["paths"]["/a"]["get"]["operationId"] == 12
    with pytest.raises(SpecError) as caught:
        validate_openapi(spec)
    assert str(caught.value.diagnostics[0]).startswith("api.yaml:3:33: invalid OpenAPI document: 12 is not of type")
    assert spec.locate("/paths/~1a/get") == Location("api.yaml", 3, 19)
