"""ruff, as the formatter of emitted code: where its binary is, and the two commands sdkgen runs.

ruff runs with `--isolated` and every setting on the command line, so the bytes never depend
on a configuration file near the output folder (`--out` may point anywhere). Which imports
are first-party is stated too (`known-first-party`), instead of being detected from the files
beside the one formatted: so a file is formatted the same whichever of its siblings exist
when it is, and the files of one package can be formatted in any grouping.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

LINE_LENGTH = 120
TARGET_VERSION = "py311"
# The rules emitted code is held to (the project's own, from pyproject.toml; a test keeps the
# two equal). E501 is left out: docstrings carry the spec's descriptions verbatim.
LINT_SELECT = ("E", "F", "W", "I", "B", "UP", "SIM", "RUF")
LINT_IGNORE = ("E501", "RUF001", "RUF002", "RUF003")


class RuffFailed(Exception):
    """ruff refused a file (it does not parse): the first line of what it said."""


def binary() -> str:
    """The ruff executable of the installed `ruff` distribution (not whatever is on PATH)."""
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def settings(first_party: Iterable[str]) -> list[str]:
    """The command-line settings of both passes."""
    known = json.dumps(sorted(set(first_party)))
    return [
        "--isolated",
        "--no-cache",
        "--line-length",
        str(LINE_LENGTH),
        "--target-version",
        TARGET_VERSION,
        "--config",
        f"lint.isort.known-first-party = {known}",
    ]


def sort_imports_and_format(folder: Path, paths: Sequence[str], first_party: Iterable[str]) -> None:
    """`ruff check --select I --fix` then `ruff format` on `paths` (relative to `folder`), in place."""
    common = settings(first_party)
    executable = binary()
    for command in (
        [executable, "check", *common, "--quiet", "--fix", "--select", "I", "--exit-zero", "--", *paths],
        [executable, "format", *common, "--quiet", "--", *paths],
    ):
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuffFailed((result.stderr.strip().splitlines() or ["ruff failed"])[0])
