"""Every Python example in every generated README runs, against a mock of its spec.

The committed packages (generated/) and the package of every spec the tests use
(tests/data/client/, tests/data/anyspec/) are covered. The examples are written for a user
(`Client()` reading the environment, no transport argument); tests/readme_mock.py sets the
environment and swaps httpx's own transports for a mock that answers each operation with the
response the example was written against, after checking a JSON request body with the
package's own validators.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from client_support import GENERATED, ROOT, eventapp, zuddl

from generator.pipeline import generate
from tests import readme_mock

COMMITTED = {"eventapp": eventapp, "zuddl": zuddl}
# The specs the tests generate packages from (the others are refused on purpose): every client
# and anyspec test spec (OpenAPI 3.0, 3.1 and 3.2), and the one of awkward names.
TEST_SPECS = sorted(
    [
        *(
            path
            for folder in ("client", "anyspec")
            for path in (ROOT / "tests" / "data" / folder).glob("*.yaml")
            if not path.name.startswith("findings_") and not path.name.endswith(".overlay.yaml")
        ),
        ROOT / "tests" / "data" / "awkward_names.yaml",
    ]
)


def _blocks(readme: Path, name: str) -> list[tuple[str, int, str]]:
    return [(name, index, block) for index, block in enumerate(readme_mock.blocks(readme.read_text(encoding="utf-8")))]


@pytest.fixture(scope="module")
def test_packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[ModuleType, Path]]]:
    """The package of every test spec, generated once for this module, imported from there."""
    out = tmp_path_factory.mktemp("readme-packages")
    outcomes = generate(TEST_SPECS, out)
    sys.path.insert(0, str(out))
    try:
        yield {outcome.package: (importlib.import_module(outcome.package), Path(outcome.spec)) for outcome in outcomes}
    finally:
        sys.path.remove(str(out))
        for outcome in outcomes:
            for module in [m for m in sys.modules if m == outcome.package or m.startswith(outcome.package + ".")]:
                del sys.modules[module]


def test_every_spec_a_test_generates_a_package_from_is_covered() -> None:
    """A spec file a test module names under tests/data (client, anyspec, or the folder itself)
    has its README run here: a new test spec cannot slip past."""
    named = re.compile(r'"data"\s*/\s*(?:"(client|anyspec)"\s*/\s*)?"([\w.-]+\.yaml)"')
    found = {
        ROOT / "tests" / "data" / (match.group(1) or "") / match.group(2)
        for source in (ROOT / "tests").rglob("test_*.py")
        for match in named.finditer(source.read_text(encoding="utf-8"))
    }
    generated_from = {path for path in found if not path.name.startswith("findings_")}
    assert ROOT / "tests" / "data" / "client" / "modern.yaml" in generated_from
    assert generated_from <= set(TEST_SPECS), sorted(map(str, generated_from - set(TEST_SPECS)))


def test_every_committed_package_has_runnable_examples() -> None:
    for name in COMMITTED:
        assert len(_blocks(GENERATED / name / "README.md", name)) >= 4


@pytest.mark.parametrize(
    ("name", "index", "block"),
    [case for name in COMMITTED for case in _blocks(GENERATED / name / "README.md", name)],
    ids=lambda value: value if isinstance(value, str) and "\n" not in value else None,
)
def test_committed_readme_example_runs(
    name: str, index: int, block: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for key, value in readme_mock.environment(name).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    readme_mock.run_block(COMMITTED[name], block, readme_mock.routes(ROOT / "specs" / f"{name}.yaml"))


def test_every_test_spec_readme_runs(
    test_packages: dict[str, tuple[ModuleType, Path]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    failures = []
    ran = 0
    for name, (package, spec) in sorted(test_packages.items()):
        for key, value in readme_mock.environment(name).items():
            monkeypatch.setenv(key, value)
        table = readme_mock.routes(spec)
        readme = Path(package.__file__).parent / "README.md"
        for _, index, block in _blocks(readme, name):
            ran += 1
            try:
                readme_mock.run_block(package, block, table, f"{name}/README.md#{index}")
            except BaseException as error:
                failures.append(f"{name} block {index}: {type(error).__name__}: {error}\n{block}")
    assert not failures, "\n\n".join(failures)
    assert ran >= 8 * len(test_packages)
    assert {Path(spec).resolve() for _, spec in test_packages.values()} == {path.resolve() for path in TEST_SPECS}
