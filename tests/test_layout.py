"""The house a newcomer finds: one folder per step, modules of a readable size, tests that do not
lean on the benchmarks."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

GENERATOR = ROOT / "generator"
LONG_MODULE_LINES = 600
LONG_MODULE_REASON = "# Over 600 lines: "


def test_every_step_has_its_folder() -> None:
    rooms = {path.name for path in GENERATOR.iterdir() if path.is_dir() and path.name != "__pycache__"}
    assert rooms == {"spec", "ir", "emit", "runtime", "execute", "output", "adapters", "diff"}
    for room in rooms:
        assert (GENERATOR / room / "__init__.py").is_file(), room


def test_a_long_module_says_why_at_its_top() -> None:
    for path in sorted(GENERATOR.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > LONG_MODULE_LINES:
            assert lines[0].startswith(LONG_MODULE_REASON), f"{path.relative_to(ROOT)}: {len(lines)} lines, no reason"


def test_tests_do_not_import_the_benchmarks() -> None:
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if "data" in path.relative_to(ROOT / "tests").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("benchmarks"), path
            elif isinstance(node, ast.Import):
                assert not any(alias.name.startswith("benchmarks") for alias in node.names), path


def test_only_the_adapters_reach_into_other_libraries_internals() -> None:
    """Private modules of datamodel-code-generator, openapi-spec-validator and ruff are imported
    only by generator/adapters/."""
    watched = ("datamodel_code_generator", "openapi_spec_validator", "ruff", "jsonschema", "jsonschema_rs")
    for path in sorted(GENERATOR.rglob("*.py")):
        if path.parent.name == "adapters":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                assert not name.startswith(watched), f"{path.relative_to(ROOT)} imports {name}"
