"""Write step: atomic replacement, no-op detection, user files never lost, crash recovery, lock."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from generator.output.fingerprint import MANIFEST, sha256_hex
from generator.output.write import OutputError, locked, recover, write_package


def package_files(version: str) -> dict[str, bytes]:
    files = {"__init__.py": f"# v{version}\n".encode(), "models.py": b"# models\n"}
    manifest = {
        "package": "pkg",
        "spec": "pkg.yaml",
        "spec_sha256": "0" * 64,
        "referenced_files": {},
        "files": {path: sha256_hex(content) for path, content in files.items()},
    }
    files[MANIFEST] = json.dumps(manifest).encode()
    return files


def test_first_write_then_unchanged_then_replaced(tmp_path: Path) -> None:
    with locked(tmp_path):
        assert write_package(tmp_path, "pkg", package_files("1")) == "written"
        mtime = (tmp_path / "pkg" / "__init__.py").stat().st_mtime_ns
        assert write_package(tmp_path, "pkg", package_files("1")) == "unchanged"
        assert (tmp_path / "pkg" / "__init__.py").stat().st_mtime_ns == mtime
        assert write_package(tmp_path, "pkg", package_files("2")) == "written"
    assert (tmp_path / "pkg" / "__init__.py").read_bytes() == b"# v2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]  # no lock file left behind


def test_stale_generated_files_are_removed_and_caches_tolerated(tmp_path: Path) -> None:
    with locked(tmp_path):
        write_package(tmp_path, "pkg", package_files("1"))
        (tmp_path / "pkg" / "__pycache__").mkdir()
        (tmp_path / "pkg" / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"x")
        smaller = package_files("2")
        del smaller["models.py"]
        assert write_package(tmp_path, "pkg", smaller) == "written"
    assert not (tmp_path / "pkg" / "models.py").exists()


def test_user_files_are_never_deleted(tmp_path: Path) -> None:
    with locked(tmp_path):
        write_package(tmp_path, "pkg", package_files("1"))
        (tmp_path / "pkg" / "notes.txt").write_text("mine")
        with pytest.raises(OutputError, match=r"files sdkgen did not write \(notes.txt\)"):
            write_package(tmp_path, "pkg", package_files("2"))
    assert (tmp_path / "pkg" / "notes.txt").read_text() == "mine"
    assert (tmp_path / "pkg" / "__init__.py").read_bytes() == b"# v1\n"


def test_a_folder_without_manifest_is_not_ours(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("handmade")
    with locked(tmp_path), pytest.raises(OutputError, match="did not write"):
        write_package(tmp_path, "pkg", package_files("1"))
    assert (tmp_path / "pkg" / "__init__.py").read_text() == "handmade"


def test_missing_output_folder_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="output folder does not exist"), locked(tmp_path / "nope"):
        pass


def test_recovery_restores_a_package_left_between_renames(tmp_path: Path) -> None:
    old = tmp_path / ".sdkgen-old-pkg.abc123"
    old.mkdir()
    (old / "__init__.py").write_text("old")
    staging = tmp_path / ".sdkgen-new-pkg.def456"
    staging.mkdir()
    recover(tmp_path)
    assert (tmp_path / "pkg" / "__init__.py").read_text() == "old"
    assert not staging.exists()


def test_lock_serialises_runs(tmp_path: Path) -> None:
    order: list[str] = []

    def second() -> None:
        with locked(tmp_path):
            order.append("second")

    with locked(tmp_path):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.2)
        order.append("first")
    thread.join(timeout=5)
    assert order == ["first", "second"]
