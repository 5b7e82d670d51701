"""The official JSON-Schema-Test-Suite (draft 2020-12) through the compiler.

Required tests: every case passes, or its schema is refused at generation with a clear
`SpecError`: the refused groups are listed in `REFUSED` with the reason, and the test checks
that exactly those are refused. Optional tests (`optional/*.json`): every case passes but in
the groups `OPTIONAL_REFUSED` names (other drafts' keywords, unknown keywords: refused by
design). The `format` files run with format assertion on: every case of a format sdkgen
checks passes, and asserting any other format JSON Schema defines is refused. The suite's
`remotes/` are read through a ref map. Data: tests/data/JSON-Schema-Test-Suite (see its README).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types
from collections.abc import Callable
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
# (file, the group's description, cut at 60 characters) -> why sdkgen refuses the schema at
# generation: none of the required tests is refused today.
REFUSED: dict[tuple[str, str], str] = {}


OPTIONAL_FILES = sorted((SUITE / "optional").glob("*.json"))


def _names(node: Any, key: str) -> bool:
    """Whether `key` is a member name anywhere in `node`."""
    if isinstance(node, dict):
        return key in node or any(_names(v, key) for v in node.values())
    return isinstance(node, list) and any(_names(v, key) for v in node)


def _unknown_keywords(node: Any) -> bool:
    return _names(node, "unknown-keyword") or _names(node, "unknown/keyword") or _names(node, "array_of_schemas")


# optional file -> (which of its groups sdkgen refuses by design, the refusal's words). Other drafts'
# keywords and unknown keywords are refused, never guessed at (see the README).
OPTIONAL_REFUSED: dict[str, tuple[Callable[[Any], bool], str]] = {
    "cross-draft": (lambda schema: True, "only JSON Schema 2020-12"),
    "dependencies-compatibility": (lambda schema: True, "`dependencies` is not a 2020-12 keyword"),
    "refOfUnknownKeyword": (_unknown_keywords, "unknown JSON Schema keyword"),
    "unknownKeyword": (_unknown_keywords, "unknown JSON Schema keyword"),
}
# optional file -> (cases passed, cases refused)
OPTIONAL_COUNTS = {
    "anchor": (4, 0),
    "bignum": (9, 0),
    "cross-draft": (0, 1),
    "dependencies-compatibility": (0, 36),
    "dynamicRef": (2, 0),
    "ecmascript-regex": (74, 0),
    "float-overflow": (1, 0),
    "format-assertion": (4, 0),
    "id": (3, 0),
    "no-schema": (3, 0),
    "non-bmp-regex": (12, 0),
    "refOfUnknownKeyword": (2, 8),
    "unknownKeyword": (0, 3),
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


def _run(path: Path, refusal_of: Callable[[str], str | None]) -> list[str]:
    """Every case of a suite file: its verdict, or the refusal expected of its group."""
    failures: list[str] = []
    for group in _groups(path):
        refusal = refusal_of(group["description"])
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
    return failures


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_suite_file(path: Path) -> None:
    failures = _run(path, lambda description: _refusal(path.stem, description))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", OPTIONAL_FILES, ids=[p.stem for p in OPTIONAL_FILES])
def test_suite_optional_file(path: Path) -> None:
    """The optional files: every case passes, but in the groups sdkgen refuses by design."""
    failures = _run(path, lambda description: _optional_refusal(path.stem, description, _groups(path)))
    assert not failures, "\n".join(failures)


def _optional_refusal(stem: str, description: str, groups: list[dict[str, Any]]) -> str | None:
    refusal = OPTIONAL_REFUSED.get(stem)
    if refusal is None:
        return None
    schema = next(g["schema"] for g in groups if g["description"] == description)
    return refusal[1] if refusal[0](schema) else None


def test_optional_counts() -> None:
    """The README's table: cases passed and refused per optional file."""
    counts: dict[str, tuple[int, int]] = {}
    for path in OPTIONAL_FILES:
        groups = _groups(path)
        refused = sum(len(g["tests"]) for g in groups if _optional_refusal(path.stem, g["description"], groups))
        counts[path.stem] = (sum(len(g["tests"]) for g in groups) - refused, refused)
    assert counts == OPTIONAL_COUNTS


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
    assert (passed, refused) == (1299, 0)


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
