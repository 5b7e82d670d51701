"""Ruff over every emitted Python file: import sorting, then formatting.

ruff runs with `--isolated` and explicit settings so the bytes never depend on a
configuration file near the output folder (`--out` may point anywhere).

A package may be formatted in several passes (the modules rendered in a forked helper are
formatted there, in parallel with datamodel-code-generator): `format_python(files,
siblings=...)`. The one thing a pass could see differently is which modules exist, as
import sorting counts `import name` first-party when `name.py` is beside the file. So each
pass lays out the whole package: the files it formats, and an empty stand-in for every
sibling formatted in another pass; ruff is handed only its own files. The bytes are those
of one pass over every file (tests/test_render.py).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.diagnostics import SpecError

LINE_LENGTH = 120
TARGET_VERSION = "py311"
FORMATTED_SUFFIXES = (".py", ".md")  # ruff formats Markdown's Python code blocks too


def ruff_binary() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def formatted(path: str) -> bool:
    """Whether ruff formats this emitted file (the others pass through as they are)."""
    return path.endswith(FORMATTED_SUFFIXES)


def format_python(files: Mapping[str, str], siblings: Iterable[str] = ()) -> dict[str, str]:
    """Sort imports and format the `.py` and `.md` entries of `files` (path -> source).

    `siblings`: the package's other files (paths), formatted in another pass; those ruff
    formats are present, empty, while this pass runs, so it sorts imports as one pass over all
    would (that pass saw the `.py` and `.md` files only).
    """
    python = {path: text for path, text in files.items() if formatted(path)}
    if not python:
        return dict(files)
    settings = ["--isolated", "--no-cache", "--line-length", str(LINE_LENGTH), "--target-version", TARGET_VERSION]
    with tempfile.TemporaryDirectory(prefix="sdkgen-format-") as folder:
        root = Path(folder)
        for path in sorted({p for p in siblings if formatted(p)} - set(files)):
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).touch()
        for path, text in python.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        binary = ruff_binary()
        paths = sorted(python)
        for command in (
            [binary, "check", *settings, "--quiet", "--fix", "--select", "I", "--exit-zero", "--", *paths],
            [binary, "format", *settings, "--quiet", "--", *paths],
        ):
            result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise SpecError.at(
                    "emitted Python does not parse (a generator bug or an unsupported construct): "
                    + (result.stderr.strip().splitlines() or ["ruff failed"])[0]
                )
        formatted_texts = {path: (root / path).read_text(encoding="utf-8") for path in python}
    return {path: formatted_texts.get(path, text) for path, text in files.items()}
