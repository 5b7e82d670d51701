"""The load step's entry point: `load_spec`, with and without the validation pass."""

from __future__ import annotations

from generator.spec import load_spec
from tests.conftest import SPECS


def test_both_specs_load() -> None:
    for name in ("eventapp.yaml", "zuddl.yaml"):
        spec = load_spec(SPECS / name, name)
        assert spec.data["openapi"] == "3.1.0"
        assert len(spec.sha256) == 64
