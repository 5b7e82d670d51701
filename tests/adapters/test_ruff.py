"""What generator/adapters/ruff.py assumes of ruff; each failure names the assumption a pinned
upgrade broke."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.adapters import ruff


def test_the_binary_is_found_through_the_installed_distribution() -> None:
    binary = Path(ruff.binary())
    assert binary.is_file(), "ruff.__main__.find_ruff_bin() no longer gives the installed binary"
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("ruff "), f"`ruff --version` prints {version!r}"


def test_first_party_modules_can_be_stated_on_the_command_line(tmp_path: Path) -> None:
    source = "import httpx\nimport client\nimport os\n"
    (tmp_path / "models.py").write_text(source)
    ruff.sort_imports_and_format(tmp_path, ["models.py"], ["client"])
    assert (tmp_path / "models.py").read_text() == "import os\n\nimport httpx\n\nimport client\n", (
        "`--config lint.isort.known-first-party = [...]` no longer makes a module first-party"
    )
    (tmp_path / "models.py").write_text(source)
    ruff.sort_imports_and_format(tmp_path, ["models.py"], [])
    assert (tmp_path / "models.py").read_text() == "import os\n\nimport client\nimport httpx\n", (
        "without a file or a setting naming it, `client` is no longer third-party"
    )


def test_a_file_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def (:\n")
    with pytest.raises(ruff.RuffFailed):
        ruff.sort_imports_and_format(tmp_path, ["broken.py"], [])
