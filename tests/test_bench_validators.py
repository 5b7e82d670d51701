"""Smoke test of the validators benchmark (`make bench-validators` runs it in full), as a process:
its reference checks must still find what the generated validators find, its verdict-only floor
must agree with them, and its harness must time every peer that is installed."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_benchmark_smoke_run_passes() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_validators.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke ok:" in result.stdout
