"""The official JSON-Schema-Test-Suite (draft 2020-12, required tests) through the compiler.

Every case passes, or its schema is refused at generation with a clear `SpecError`: the
refused groups are listed in `REFUSED` with the reason, and the test checks that exactly
those are refused. The optional `format` files run with format assertion on: every case of
a format sdkgen checks passes, and asserting any other format JSON Schema defines is refused.
Data: tests/data/JSON-Schema-Test-Suite (see its README).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import SpecError
from generator.emit.validators import compile_schemas
from generator.emit.validators.keywords.scalars import FORMATS, UNCHECKED_FORMATS

SUITE = Path(__file__).resolve().parents[2] / "data" / "JSON-Schema-Test-Suite" / "tests" / "draft2020-12"
FILES = sorted(SUITE.glob("*.json"))
FORMAT_FILES = sorted((SUITE / "optional" / "format").glob("*.json"))
# optional/format file -> the format it tests (the file names the format, but for these).
FORMAT_OF_FILE = {"ecmascript-regex": "regex", "unknown": "unknown"}

# The suite's remotes/ are served at http://localhost:1234/: sdkgen reads them through a ref map.
REMOTES = SUITE.parents[1] / "remotes"
REF_MAP = (("http://localhost:1234/", str(REMOTES)),)
# (file, the group's description, cut at 60 characters) -> why sdkgen refuses the schema at generation.
REFUSED: dict[tuple[str, str], str] = {
    ("pattern", "pattern with Unicode property escape requires unicode mode"): "Unicode property escapes",
    ("patternProperties", "patternProperties with Unicode property escape"): "Unicode property escapes",
    ("vocabulary", "schema that uses custom metaschema with with no validation v"): "only JSON Schema 2020-12",
    ("vocabulary", "ignore unrecognized optional vocabulary"): "only JSON Schema 2020-12",
}


def _refusal(stem: str, description: str) -> str | None:
    return REFUSED.get((stem, description[:60]))


def _exec(source: str) -> types.ModuleType:
    module = types.ModuleType("suite_case")
    sys.modules[module.__name__] = module  # NamedTuple and dataclasses look their module up
    exec(compile(source, "<validators>", "exec"), module.__dict__)
    return module


def _groups(path: Path) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return groups


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_suite_file(path: Path) -> None:
    failures: list[str] = []
    for group in _groups(path):
        refusal = _refusal(path.stem, group["description"])
        try:
            source = compile_schemas(group["schema"], [("root", "")], ref_map=REF_MAP)
        except SpecError as error:
            if refusal is None or refusal not in str(error):
                failures.append(f"{group['description']}: unexpectedly refused: {error}")
            continue
        if refusal is not None:
            failures.append(f"{group['description']}: expected a refusal ({refusal}), but it compiled")
            continue
        module = _exec(source)
        for case in group["tests"]:
            issues = module.validate_root(case["data"])
            if (issues == []) != case["valid"]:
                failures.append(f"{group['description']} / {case['description']}: got {issues!r}")
            snapshot = json.dumps(case["data"], sort_keys=True)
            module.validate_root(case["data"])
            assert json.dumps(case["data"], sort_keys=True) == snapshot, "validators must not change their input"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", FORMAT_FILES, ids=[p.stem for p in FORMAT_FILES])
def test_suite_format_file_asserted(path: Path) -> None:
    fmt = FORMAT_OF_FILE.get(path.stem, path.stem)
    failures: list[str] = []
    for group in _groups(path):
        if fmt in UNCHECKED_FORMATS:
            with pytest.raises(SpecError, match=f"format '{fmt}' cannot be asserted") as refused:
                compile_schemas(group["schema"], [("root", "")], assert_formats=True)
            assert str(refused.value.diagnostics[0].pointer).endswith("/format")
            compile_schemas(group["schema"], [("root", "")], ref_map=REF_MAP)  # as an annotation it is fine
            continue
        assert fmt in FORMATS or fmt == "unknown", f"{fmt}: neither checked nor refused"
        module = _exec(compile_schemas(group["schema"], [("root", "")], assert_formats=True))
        for case in group["tests"]:
            issues = module.validate_root(case["data"])
            if (issues == []) != case["valid"]:
                failures.append(f"{group['description']} / {case['description']}: {case['data']!r} got {issues!r}")
    assert not failures, "\n".join(failures)


def test_every_checked_format_has_its_suite_file() -> None:
    tested = {FORMAT_OF_FILE.get(p.stem, p.stem) for p in FORMAT_FILES}
    assert tested >= set(FORMATS) | UNCHECKED_FORMATS
    checked_cases = sum(len(g["tests"]) for p in FORMAT_FILES if p.stem in FORMATS for g in _groups(p))
    assert checked_cases == 490  # the README's count


def test_counts() -> None:
    """The numbers in the README and the report: cases passed and cases refused."""
    passed = refused = 0
    for path in FILES:
        for group in _groups(path):
            if _refusal(path.stem, group["description"]) is not None:
                refused += len(group["tests"])
            else:
                passed += len(group["tests"])
    assert (passed, refused) == (1289, 10)


def test_generated_suite_modules_pass_ruff_and_mypy(tmp_path: Path) -> None:
    """Every compiled suite schema and asserted format, formatted as the pipeline does, passes `ruff check`
    and `mypy --strict`."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    count = 0
    for path in FILES:
        for index, group in enumerate(_groups(path)):
            if _refusal(path.stem, group["description"]) is not None:
                continue
            (tmp_path / f"{path.stem.replace('-', '_')}_{index}.py").write_text(
                compile_schemas(group["schema"], [("root", "")], ref_map=REF_MAP), encoding="utf-8"
            )
            count += 1
    for fmt in FORMATS:  # each asserted format on its own: its helpers must import what they use
        (tmp_path / f"format_{fmt.replace('-', '_')}.py").write_text(
            compile_schemas({"format": fmt}, [("root", "")], assert_formats=True), encoding="utf-8"
        )
    config = Path(__file__).resolve().parents[3] / "pyproject.toml"
    for command in (
        [ruff, "format", "--quiet", "--config", str(config), str(tmp_path)],
        [ruff, "check", "--quiet", "--fix", "--select", "I", "--config", str(config), str(tmp_path)],
        [ruff, "check", "--quiet", "--config", str(config), "--extend-exclude", "", str(tmp_path)],
    ):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    assert count > 200
    mypy = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--cache-dir",
        str(tmp_path / ".mypy"),
        str(tmp_path),
    ]
    result = subprocess.run(mypy, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
