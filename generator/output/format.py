"""Format step: every emitted `.py` file, and the Python blocks of every `.md` file, through ruff.

Formatting a file does not depend on which other files are formatted with it (the adapter
states the package's first-party modules), so the executor may format a package's files in
one pass or in several, wherever they were emitted, and get the same bytes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from generator.adapters import ruff
from generator.diagnostics import SpecError

FORMATTED_SUFFIXES = (".py", ".md")  # ruff formats Markdown's Python code blocks too


def formatted(path: str) -> bool:
    """Whether ruff formats this emitted file (the others pass through as they are)."""
    return path.endswith(FORMATTED_SUFFIXES)


def first_party(paths: Iterable[str]) -> frozenset[str]:
    """The names `import name` reaches inside a package laid out with these files."""
    names = set()
    for path in paths:
        top = PurePosixPath(path).parts[0]
        if top.endswith(".py"):
            names.add(top[: -len(".py")])
        elif "/" in path:
            names.add(top)
    return frozenset(names)


def format_files(files: Mapping[str, str], package_paths: Iterable[str]) -> dict[str, str]:
    """`files` with their `.py` and `.md` entries sorted and formatted; the rest as they are.

    `package_paths`: every file of the package (for which imports are first-party).
    """
    python = {path: text for path, text in files.items() if formatted(path)}
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="sdkgen-format-") as folder:
        root = Path(folder)
        for path, text in python.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        try:
            ruff.sort_imports_and_format(root, sorted(python), first_party(package_paths))
        except ruff.RuffFailed as error:
            raise SpecError.at(
                f"emitted Python does not parse (a generator bug or an unsupported construct): {error}"
            ) from None
        done = {path: (root / path).read_text(encoding="utf-8") for path in python}
    return {path: done.get(path, text) for path, text in files.items()}
