"""A synthetic spec and its next version (tests/diff/evolve.py) at a small N: the diff finds each
planted change. benchmarks/bench_diff.py times the same at N = 1000."""

from __future__ import annotations

from pathlib import Path

from generator.diff import run_diff
from tests.diff.evolve import write_pair


def test_synthetic_pair(tmp_path: Path) -> None:
    old, new = write_pair(50, tmp_path)
    outcome = run_diff(old.as_posix(), new.as_posix(), output_format="json")
    assert outcome.exit_code == 1
    ids = {finding.id for finding in outcome.findings}
    assert {
        "parameter-added-required",
        "request-constraint-narrowed",
        "response-constraint-widened",
        "request-property-made-required",
        "response-type-widened",
        "operation-removed",
        "response-enum-value-added",
        "deprecated-added",
        "request-widened",
        "response-narrowed",
    } <= ids
    assert "version-not-bumped" not in ids  # 1.0.0 -> 2.0.0
    assert all(finding.location is not None and finding.location.line for finding in outcome.findings)


def test_a_spec_against_itself_has_no_findings(tmp_path: Path) -> None:
    old, _ = write_pair(50, tmp_path)
    assert run_diff(old.as_posix(), old.as_posix()).findings == []
