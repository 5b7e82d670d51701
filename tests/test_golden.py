"""Golden files: generated/ is exactly what the specs and templates produce, byte for byte."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from generator.pipeline import package_diff, render_spec
from tests.conftest import GENERATED, SPEC_FILES, snapshot


@pytest.mark.parametrize("spec", SPEC_FILES, ids=lambda p: p.stem)
def test_generated_matches_a_fresh_render(spec: Path) -> None:
    rendered = render_spec(spec)
    diff = package_diff(GENERATED, rendered)
    assert not diff, f"generated/{rendered.package} drifted; run `make generate` and review:\n{diff}"
    assert snapshot(GENERATED / rendered.package) == rendered.files


def test_every_generated_package_has_a_spec() -> None:
    packages = {path.parent.name for path in GENERATED.glob("*/__init__.py")}
    assert packages == {render_spec(spec).package for spec in SPEC_FILES}


@pytest.mark.parametrize("package", ["eventapp", "zuddl"])
def test_packages_import_with_only_pydantic_and_httpx(package: str) -> None:
    # Whatever pydantic and httpx (and their own dependencies) pull in is theirs;
    # the package itself must add no other third-party module.
    probe = (
        "import sys\n"
        f"site = {sysconfig.get_paths()['purelib']!r}\n"
        "sys.path.append(site)\n"
        f"sys.path.insert(0, {str(GENERATED)!r})\n"
        "def third():\n"
        "    return {m.split('.')[0] for m, mod in list(sys.modules.items())\n"
        "            if str(getattr(mod, '__file__', None)).startswith(site)}\n"
        "import pydantic, httpx\n"
        "before = third()\n"
        f"import {package}, {package}.models, {package}.errors\n"
        "deps = {'annotated_types', 'typing_extensions', 'typing_inspection', 'pydantic_core',\n"
        "        'anyio', 'certifi', 'httpcore', 'h11', 'idna', 'sniffio'}\n"
        "print(sorted(third() - before - deps))\n"
    )
    result = subprocess.run([sys.executable, "-I", "-S", "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
