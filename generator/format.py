"""One ruff pass over every emitted Python file: import sorting, then formatting.

ruff runs with `--isolated` and explicit settings so the bytes never depend on a
configuration file near the output folder (`--out` may point anywhere).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.diagnostics import SpecError

LINE_LENGTH = 120
TARGET_VERSION = "py311"


def ruff_binary() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def format_python(files: Mapping[str, str]) -> dict[str, str]:
    """Sort imports and format the `.py` entries of `files` (path -> source); others pass through."""
    python = {path: text for path, text in files.items() if path.endswith((".py", ".md"))}
    if not python:
        return dict(files)
    settings = ["--isolated", "--no-cache", "--line-length", str(LINE_LENGTH), "--target-version", TARGET_VERSION]
    with tempfile.TemporaryDirectory(prefix="sdkgen-format-") as folder:
        root = Path(folder)
        for path, text in python.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        binary = ruff_binary()
        for command in (
            [binary, "check", *settings, "--quiet", "--fix", "--select", "I", "--exit-zero", "."],
            [binary, "format", *settings, "--quiet", "."],
        ):
            result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise SpecError.at(
                    "emitted Python does not parse (a generator bug or an unsupported construct): "
                    + (result.stderr.strip().splitlines() or ["ruff failed"])[0]
                )
        formatted = {path: (root / path).read_text(encoding="utf-8") for path in python}
    return {path: formatted.get(path, text) for path, text in files.items()}
