"""`sdkgen diff` over consecutive releases of a real public spec (tests/data/diff/petstore/)."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT

PETSTORE = ROOT / "tests" / "data" / "diff" / "petstore"
VERSIONS = ["1.0.3", "1.0.6", "1.0.19", "1.0.26"]
PAIRS = list(pairwise(VERSIONS))


def findings(old: str, new: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[dict[str, object]]]:
    monkeypatch.chdir(PETSTORE)
    result = CliRunner().invoke(main, ["diff", f"{old}/petstore.yaml", f"{new}/petstore.yaml", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def test_the_corpus_is_vendored_with_its_license() -> None:
    assert (PETSTORE / "LICENSE").read_text().lstrip().startswith("Apache License")
    assert all((PETSTORE / version / "petstore.yaml").is_file() for version in VERSIONS)


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_consecutive_releases_diff_cleanly(old: str, new: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, found = findings(old, new, monkeypatch)
    for finding in found:
        assert finding["line"] is not None, finding
        assert str(finding["file"]).endswith("petstore.yaml")
    assert code == (1 if any(f["severity"] == "breaking" for f in found) else 0)


def test_prose_only_releases_have_no_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert findings("1.0.3", "1.0.6", monkeypatch) == (0, [])
    assert findings("1.0.6", "1.0.19", monkeypatch) == (0, [])


def test_the_real_change_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    code, found = findings("1.0.19", "1.0.26", monkeypatch)
    assert code == 1
    breaking = sorted((str(f["id"]), str(f["message"])) for f in found if f["severity"] == "breaking")
    assert breaking == [
        ("response-media-type-changed", "POST /user default response: no longer has a body"),
        ("sdk-class-removed", "model class Address removed"),
        ("sdk-class-removed", "model class Customer removed"),
        ("sdk-return-type-changed", "update_pet_with_form() returns Pet (was None)"),
        ("server-url-changed", "the default server is https://petstore3.swagger.io/api/v3 (was /v3)"),
        ("version-not-bumped", "breaking changes, but info.version '1.0.19' -> '1.0.26' keeps its major version"),
    ]
    info = {str(f["id"]) for f in found if f["severity"] == "info"}
    assert info == {"response-narrowed", "response-status-added"}
