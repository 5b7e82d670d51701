"""Whole-process generation times on the shipped specs, next to datamodel-codegen's CLI.

Each figure is the median of several runs of a fresh process, as a user's build would run
it: `sdkgen generate` with nothing to do (the fingerprint path), `sdkgen generate --force`
(models + everything else, from scratch), `sdkgen check`, and datamodel-codegen producing
only the models of the same spec.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUNS = 7


def timed(command: list[str], cwd: Path) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
        samples.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr.decode()}")
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copytree(ROOT / "specs", work / "specs")
        shutil.copytree(ROOT / "generated", work / "generated")
        sdkgen = [str(BIN / "sdkgen")]
        rows = [
            ("sdkgen generate (nothing to do)", timed([*sdkgen, "generate"], work)),
            ("sdkgen check (nothing to do)", timed([*sdkgen, "check"], work)),
            ("sdkgen generate --force (both specs)", timed([*sdkgen, "generate", "--force"], work)),
        ]
        peer = shutil.which("datamodel-codegen", path=str(BIN))
        if peer:
            for spec in sorted((work / "specs").glob("*.yaml")):
                command = [
                    peer,
                    "--input",
                    str(spec),
                    "--input-file-type",
                    "openapi",
                    "--output-model-type",
                    "pydantic_v2.BaseModel",
                    "--output",
                    str(work / f"{spec.stem}_dmcg.py"),
                ]
                rows.append((f"datamodel-codegen {spec.name} (models only)", timed(command, work)))
    width = max(len(name) for name, _ in rows)
    print(f"{'command':<{width}}  median of {RUNS} (s)")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:8.3f}")


if __name__ == "__main__":
    main()
