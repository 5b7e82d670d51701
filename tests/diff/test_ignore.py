"""The ignore file: reviewed findings silenced with a reason; stale entries reported."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.diff import run_diff
from tests.diff.support import Spec, spec, write

POINTER = "/components/schemas/NewPet/properties/name/maxLength"


def narrowed(document: Spec) -> None:
    document["components"]["schemas"]["NewPet"]["properties"]["name"]["maxLength"] = 10
    document["info"]["version"] = "2.0.0"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "old.yaml", spec())
    write(tmp_path / "new.yaml", spec(narrowed))
    return tmp_path


def diff(*args: str) -> Result:
    return CliRunner().invoke(main, ["diff", "old.yaml", "new.yaml", "--ignore", "ignore.yaml", *args])


def entry(**members: str) -> str:
    fields = {"id": "request-constraint-narrowed", "pointer": POINTER, "reason": "no client sends longer names"}
    fields.update(members)
    return "- " + "\n  ".join(f"{key}: {value!r}" for key, value in fields.items() if value) + "\n"


def test_an_entry_silences_its_finding(project: Path) -> None:
    (project / "ignore.yaml").write_text(entry())
    result = diff()
    assert result.exit_code == 0, result.output
    assert result.output == "sdkgen diff: no changes found\n"


def test_an_entry_silences_only_its_pointer_and_id(project: Path) -> None:
    (project / "ignore.yaml").write_text(entry(pointer="/components/schemas/NewPet") + entry(id="request-widened"))
    result = diff("--format", "json")
    assert result.exit_code == 1
    ids = sorted(f["id"] for f in json.loads(result.output))
    assert ids == ["ignore-entry-unmatched", "ignore-entry-unmatched", "request-constraint-narrowed"]


def test_an_unmatched_entry_is_a_located_warning(project: Path) -> None:
    (project / "ignore.yaml").write_text(entry() + entry(id="response-narrowed"))
    result = diff()
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"ignore.yaml:4:3: warning: ignore entry for response-narrowed at {POINTER} matched no finding; "
        "remove it [ignore-entry-unmatched]"
    )
    assert diff("--fail-on", "warning").exit_code == 1


def test_an_expired_entry_silences_nothing(project: Path) -> None:
    (project / "ignore.yaml").write_text(entry(until="2001-02-03"))
    result = diff()
    assert result.exit_code == 1
    assert "ignore.yaml:1:3: warning: ignore entry for request-constraint-narrowed" in result.output
    assert "expired on 2001-02-03; it silences nothing [ignore-entry-expired]" in result.output
    assert "[request-constraint-narrowed]" in result.output


def test_until_is_inclusive(project: Path) -> None:
    (project / "ignore.yaml").write_text(entry(until="2030-06-30"))
    on_the_day = run_diff("old.yaml", "new.yaml", ignore=Path("ignore.yaml"), today=datetime.date(2030, 6, 30))
    assert on_the_day.exit_code == 0 and on_the_day.findings == []
    after = run_diff("old.yaml", "new.yaml", ignore=Path("ignore.yaml"), today=datetime.date(2030, 7, 1))
    assert after.exit_code == 1
    assert {f.id for f in after.findings} == {"ignore-entry-expired", "request-constraint-narrowed"}


def test_spec_restricts_an_entry(project: Path) -> None:
    (project / "ignore.yaml").write_text(entry(spec="other.yaml"))
    assert diff().exit_code == 1
    (project / "ignore.yaml").write_text(entry(spec="new.yaml"))
    assert diff().exit_code == 0


def test_version_not_bumped_can_be_ignored_too(project: Path) -> None:
    write(project / "new.yaml", spec(lambda d: d["components"]["schemas"]["Pet"].update(required=["id"])))
    (project / "ignore.yaml").write_text(entry(id="version-not-bumped", pointer="/info/version"))
    result = diff()
    assert result.exit_code == 1
    assert "[response-property-made-optional]" in result.output
    assert "version-not-bumped" not in result.output


def test_silenced_breaking_changes_need_no_version_bump(project: Path) -> None:
    write(project / "new.yaml", spec(lambda d: d["components"]["schemas"]["Pet"].update(required=["id"])))
    pointer = "/components/schemas/Pet/properties/name"
    (project / "ignore.yaml").write_text(entry(id="response-property-made-optional", pointer=pointer))
    assert diff().output == "sdkgen diff: no changes found\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: request-widened\n  pointer: /a\n", "ignore.yaml:1:3: an ignore entry needs 'reason'"),
        ("- id: request-widened\n  pointer: /a\n  reason: ''\n", "ignore.yaml:1:3: an ignore entry needs a reason"),
        ("- id: no-such-rule\n  pointer: /a\n  reason: r\n", "ignore.yaml:1:3: unknown rule id 'no-such-rule'"),
        ("- id: request-widened\n  pointer: a\n  reason: r\n", "ignore.yaml:1:3: pointer 'a' must be a JSON pointer"),
        ("- id: request-widened\n  pointer: /a\n  reason: r\n  until: soon\n", "ignore.yaml:1:3: until 'soon'"),
        ("- id: request-widened\n  pointer: /a\n  reason: r\n  why: x\n", "ignore.yaml:4:3: unknown ignore entry"),
        ("id: request-widened\n", "ignore.yaml:1:1: the ignore file must be a list"),
        ("- [1, 2]\n", "ignore.yaml:1:3: an ignore entry must be a mapping"),
        ("- id: [a]\n", "ignore.yaml:1:7: id must be a single value"),
        ("- id: 'unclosed\n", "ignore.yaml:2:1: invalid YAML"),
    ],
)
def test_a_bad_ignore_file_exits_2_located(project: Path, text: str, message: str) -> None:
    (project / "ignore.yaml").write_text(text)
    result = diff()
    assert result.exit_code == 2
    assert result.output.startswith(message), result.output


def test_a_missing_ignore_file_exits_2(project: Path) -> None:
    result = diff()
    assert result.exit_code == 2
    assert result.output.startswith("ignore.yaml: cannot read the ignore file"), result.output


def test_an_empty_ignore_file_is_no_entries(project: Path) -> None:
    (project / "ignore.yaml").write_text("# nothing reviewed yet\n")
    assert diff().exit_code == 1
