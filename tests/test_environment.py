"""A fresh clone reproduces main: the locked environment, and a committed tree free of it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.output import fingerprint
from tests.conftest import ROOT, SPEC_FILES, snapshot

DEV_LOCK = ROOT / "requirements" / "dev.lock"
BENCH_LOCK = ROOT / "requirements" / "bench.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)", re.MULTILINE)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> dict[str, str]:
    return {canonical(name): version for name, version in PIN.findall(lock.read_text())}


def requirement_names(requirements: list[str]) -> set[str]:
    return {canonical(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]) for requirement in requirements}


def test_every_locked_package_is_pinned_with_hashes() -> None:
    for lock in (DEV_LOCK, BENCH_LOCK):
        entries = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text().split("\n", 2)[2])
        assert entries, lock
        for entry in entries:
            if not entry.strip() or entry.startswith("#"):
                continue
            assert PIN.match(entry), f"{lock.name}: not an exact pin: {entry.splitlines()[0]}"
            assert "--hash=sha256:" in entry, f"{lock.name}: no hash for {entry.splitlines()[0]}"


def test_the_locks_cover_every_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    tools = [line for line in (ROOT / "requirements" / "tools.in").read_text().splitlines() if line and line[0] != "#"]
    dev = pins(DEV_LOCK)
    bench = pins(BENCH_LOCK)
    needed = requirement_names(project["dependencies"] + project["optional-dependencies"]["dev"] + tools)
    assert needed <= set(dev), sorted(needed - set(dev))
    assert requirement_names(project["optional-dependencies"]["bench"]) <= set(bench)
    # One resolution: what both locks hold has one version.
    assert {name: bench[name] for name in dev} == dev


def test_the_running_environment_is_the_locked_one() -> None:
    """`make` installs exactly the dev lock; a drifted environment would make other bytes."""
    locked = pins(DEV_LOCK)
    for name in ("datamodel-code-generator", "ruff", "jinja2", "pydantic", "mypy", "pytest"):
        assert metadata.version(name) == locked[name], name


def test_make_installs_from_the_lock_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes --no-deps -r $(DEV_LOCK)" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert "pip install --quiet -e '.[" not in makefile  # never an unlocked resolution


def make(*args: str) -> subprocess.CompletedProcess[str]:
    # `-o` keeps make from rebuilding the virtualenv the tests run in.
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.sdkgen-installed", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_lists_every_target() -> None:
    makefile = (ROOT / "Makefile").read_text()
    phony = re.search(r"^\.PHONY:(.*?)(?<!\\)\n", makefile, re.MULTILINE | re.DOTALL)
    assert phony is not None
    targets = set(phony.group(1).replace("\\\n", " ").split())
    assert set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE)) == targets
    listed = {line.split()[1] for line in make("help").stdout.splitlines() if line.startswith("make ")}
    assert targets == listed


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lint_spec_without_a_spec_says_how_to_call_it() -> None:
    result = make("lint-spec")
    assert result.returncode != 0
    assert "usage: make lint-spec SPEC=specs/<name>.yaml" in result.stderr


def fake_environment(monkeypatch: pytest.MonkeyPatch, versions: dict[str, str], source: str) -> None:
    """Another allowed environment: other installed versions, another generator source digest."""
    real_tree_digest = fingerprint._tree_digest
    monkeypatch.setattr(fingerprint, "installed_versions", lambda: dict(versions))
    monkeypatch.setattr(fingerprint, "_tree_digest", lambda root, pattern: real_tree_digest(root, pattern) + source)
    fingerprint.generator_digest.cache_clear()


def generate(out: Path) -> list[str]:
    result = CliRunner().invoke(main, ["generate", *map(str, SPEC_FILES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[:-1]


def test_committed_files_do_not_depend_on_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = {name: "1.0.0" for name in fingerprint.OUTPUT_SHAPING_DISTRIBUTIONS}
    second = {name: "1.0.1" for name in fingerprint.OUTPUT_SHAPING_DISTRIBUTIONS}
    try:
        fake_environment(monkeypatch, first, "a")
        generate(tmp_path / "one")
        key_one = fingerprint.fingerprint("0", {}, "")
        fake_environment(monkeypatch, second, "b")
        assert fingerprint.fingerprint("0", {}, "") != key_one  # the fast path does see the change
        generate(tmp_path / "two")
        assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two") == snapshot(ROOT / "generated")

        # Back in the first environment over the second's tree: the key differs, so the
        # packages are rendered again, found equal, and not rewritten.
        fake_environment(monkeypatch, first, "a")
        inodes = {path: path.stat().st_ino for path in (tmp_path / "two").rglob("*")}
        mtimes = {path: path.stat().st_mtime_ns for path in (tmp_path / "two").rglob("*")}
        assert all(line.startswith("unchanged") for line in generate(tmp_path / "two"))
        assert {path: path.stat().st_ino for path in (tmp_path / "two").rglob("*")} == inodes
        assert {path: path.stat().st_mtime_ns for path in (tmp_path / "two").rglob("*")} == mtimes
    finally:
        fingerprint.generator_digest.cache_clear()


def test_manifest_records_no_environment() -> None:
    for manifest in sorted((ROOT / "generated").glob("*/.sdkgen.json")):
        text = manifest.read_text()
        for name in fingerprint.OUTPUT_SHAPING_DISTRIBUTIONS:
            assert metadata.version(name) not in text, (manifest, name)
        assert "fingerprint" not in text


def test_the_fast_path_lives_outside_the_tree(tmp_path: Path, fast_path_cache: Path) -> None:
    out = tmp_path / "out"
    generate(out)
    entries = list((fast_path_cache / "fastpath").glob("*.json"))
    assert len(entries) == len(SPEC_FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem for p in SPEC_FILES)
    # With the cache entry gone, a run still finds the packages current (by rendering them).
    for entry in entries:
        entry.unlink()
    assert all(line.startswith("unchanged") for line in generate(out))
    assert len(list((fast_path_cache / "fastpath").glob("*.json"))) == len(SPEC_FILES)


def test_the_readme_first_python_snippet_runs_as_written() -> None:
    """The quick start says: from the repository's root, with `.venv/bin/python`."""
    readme = (ROOT / "README.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", readme, re.DOTALL)
    assert snippet is not None
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", snippet.group(1)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "'title': 'Office hours'" in result.stdout
