"""What the load-step tests share: a minimal spec, writing a spec file, the error it gets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.spec import load_spec

MINIMAL = """\
openapi: 3.1.0
info:
  title: t
  version: "1"
paths: {}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(SpecError) as caught:
        load_spec(path, path.name)
    return str(caught.value)
