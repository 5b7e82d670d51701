"""Shared fixtures: the repository's paths and a scratch project to run the CLI in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.output.write import DISPOSABLE_DIRS

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
SPEC_FILES = sorted(SPECS.glob("*.yaml"))


@pytest.fixture(autouse=True)
def fast_path_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test starts with an empty no-op cache of its own (never the user's)."""
    folder = tmp_path_factory.mktemp("sdkgen-cache")
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder laid out like the repository (specs/ and generated/), as cwd."""
    shutil.copytree(SPECS, tmp_path / "specs")
    shutil.copytree(GENERATED, tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (caches aside), for before/after comparisons."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and DISPOSABLE_DIRS.isdisjoint(path.parts)
    }
