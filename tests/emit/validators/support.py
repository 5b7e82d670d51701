"""Helpers shared by the validator test modules: compile schemas and import the result."""

from __future__ import annotations

import functools
import importlib.util
import itertools
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.emit.validators import compile_schemas, render_validators
from generator.ir.parse import build_api
from generator.spec import load_spec

ROOT = Path(__file__).resolve().parents[3]
_counter = itertools.count()
_workdir = Path(tempfile.mkdtemp(prefix="sdkgen-validators-"))


def import_source(source: str, stem: str = "validators") -> ModuleType:
    """Write `source` to a temporary file and import it as a fresh module."""
    name = f"_sdkgen_{stem}_{next(_counter)}"
    path = _workdir / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def compile_module(schema: Any, *, assert_formats: bool = False) -> ModuleType:
    """A validators module for one schema, exposed as `validate_root`."""
    return import_source(compile_schemas(schema, [("root", "")], assert_formats=assert_formats), "schema")


@functools.cache
def api_source(spec: str, assert_formats: bool = False) -> str:
    api = build_api(load_spec(ROOT / "specs" / spec))
    return render_validators(api, assert_formats=assert_formats)


@functools.cache
def api_module(spec: str, assert_formats: bool = False) -> ModuleType:
    """The validators module of one of the specs (compiled now, from specs/)."""
    return import_source(api_source(spec, assert_formats), Path(spec).stem)


def pairs(issues: Any) -> set[tuple[str, str]]:
    return {(issue.pointer, issue.keyword) for issue in issues}
