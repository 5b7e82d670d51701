"""`sdkgen diff` as a user runs it: exit codes, the three formats, git sides, bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import main
from tests.diff.support import Spec, spec, write

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def sdkgen(*args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args])


def narrowed(document: Spec) -> None:
    document["components"]["schemas"]["NewPet"]["properties"]["name"]["maxLength"] = 10


def widened(document: Spec) -> None:
    document["components"]["schemas"]["NewPet"]["properties"]["name"]["maxLength"] = 99


def enum_added(document: Spec) -> None:
    document["components"]["schemas"]["Pet"]["properties"]["status"]["enum"].append("pending")


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "old.yaml", spec())
    return tmp_path


def test_no_change_exits_0(pair: Path) -> None:
    write(pair / "new.yaml", spec())
    result = sdkgen("old.yaml", "new.yaml")
    assert result.exit_code == 0, result.output
    assert result.output == "sdkgen diff: no changes found\n"


def test_breaking_change_exits_1_with_located_lines(pair: Path) -> None:
    write(pair / "new.yaml", spec(narrowed))
    result = sdkgen("old.yaml", "new.yaml")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    pattern = r"new\.yaml:\d+:\d+: breaking: NewPet\.name: maxLength 50 -> 10 \[request-constraint-narrowed\]"
    assert any(re.fullmatch(pattern, line) for line in lines), lines
    assert "new.yaml:4:12: breaking: breaking changes, but info.version is still '1.0.0' [version-not-bumped]" in lines
    assert lines[-1] == "sdkgen diff: 2 breaking, 0 warnings, 0 info"


def test_info_only_exits_0(pair: Path) -> None:
    write(pair / "new.yaml", spec(widened))
    result = sdkgen("old.yaml", "new.yaml")
    assert result.exit_code == 0, result.output
    assert "info: NewPet.name: maxLength 50 -> 99 [request-widened]" in result.output


@pytest.mark.parametrize(
    ("change", "fail_on", "code"),
    [
        (enum_added, "breaking", 0),
        (enum_added, "warning", 1),
        (narrowed, "never", 0),
        (widened, "warning", 0),
    ],
)
def test_fail_on(pair: Path, change: object, fail_on: str, code: int) -> None:
    write(pair / "new.yaml", spec(change))  # type: ignore[arg-type]
    result = sdkgen("old.yaml", "new.yaml", "--fail-on", fail_on)
    assert result.exit_code == code, result.output


def test_json_format(pair: Path) -> None:
    write(pair / "new.yaml", spec(narrowed))
    result = sdkgen("old.yaml", "new.yaml", "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)
    assert [f["id"] for f in findings] == ["version-not-bumped", "request-constraint-narrowed"] or [
        f["id"] for f in findings
    ] == ["request-constraint-narrowed", "version-not-bumped"]
    for finding in findings:
        assert set(finding) == {"id", "severity", "file", "line", "column", "pointer", "message"}
        assert finding["severity"] == "breaking"
        assert finding["file"] == "new.yaml"
        assert isinstance(finding["line"], int) and isinstance(finding["column"], int)
    narrowing = next(f for f in findings if f["id"] == "request-constraint-narrowed")
    assert narrowing["pointer"] == "/components/schemas/NewPet/properties/name/maxLength"
    line = (pair / "new.yaml").read_text().splitlines()[narrowing["line"] - 1]
    assert line[narrowing["column"] - 1 :].startswith("10")


def test_json_format_without_changes_is_an_empty_list(pair: Path) -> None:
    write(pair / "new.yaml", spec())
    assert json.loads(sdkgen("old.yaml", "new.yaml", "--format", "json").output) == []


def test_markdown_format(pair: Path) -> None:
    write(pair / "new.yaml", spec(narrowed))
    result = sdkgen("old.yaml", "new.yaml", "--format", "markdown")
    lines = result.output.splitlines()
    assert lines[0] == "### sdkgen diff: 2 breaking, 0 warnings, 0 info"
    assert lines[2] == "| Severity | Rule | Where | Change |"
    assert any(line.startswith("| breaking | `request-constraint-narrowed` | `new.yaml:") for line in lines)


def test_removal_is_located_in_old(pair: Path) -> None:
    write(pair / "new.yaml", spec(lambda d: d["paths"].pop("/animals")))
    result = sdkgen("old.yaml", "new.yaml", "--format", "json")
    removal = next(f for f in json.loads(result.output) if f["id"] == "path-removed")
    assert removal["file"] == "old.yaml"
    # The removed path's first line (a location is a value's, and the path's value starts there).
    assert (pair / "old.yaml").read_text().splitlines()[removal["line"] - 2].strip() == "/animals:"


def test_version_bump(pair: Path) -> None:
    def bumped(document: Spec) -> None:
        narrowed(document)
        document["info"]["version"] = "2.0.0"

    def minor(document: Spec) -> None:
        narrowed(document)
        document["info"]["version"] = "1.1.0"

    write(pair / "major.yaml", spec(bumped))
    write(pair / "minor.yaml", spec(minor))
    assert "version-not-bumped" not in sdkgen("old.yaml", "major.yaml").output
    result = sdkgen("old.yaml", "minor.yaml")
    assert "info.version '1.0.0' -> '1.1.0' keeps its major version [version-not-bumped]" in result.output
    write(pair / "zero.yaml", spec(lambda d: d["info"].update(version="0.3.0")))
    write(pair / "zero-minor.yaml", spec(lambda d: (narrowed(d), d["info"].update(version="0.4.0"))))
    assert "version-not-bumped" not in sdkgen("zero.yaml", "zero-minor.yaml").output


def test_bad_side_exits_2_located(pair: Path) -> None:
    (pair / "broken.yaml").write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    result = sdkgen("old.yaml", "broken.yaml")
    assert result.exit_code == 2
    assert re.match(r"broken\.yaml:\d+:\d+: invalid YAML", result.output), result.output
    result = sdkgen("old.yaml", "missing.yaml")
    assert result.exit_code == 2
    assert result.output.startswith("missing.yaml"), result.output
    assert "Traceback" not in result.output


def test_both_bad_sides_are_reported(pair: Path) -> None:
    (pair / "broken.yaml").write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    result = sdkgen("broken.yaml", "broken.yaml")
    assert result.exit_code == 2


def test_usage_errors_exit_2(pair: Path) -> None:
    assert sdkgen().exit_code == 2
    assert sdkgen("old.yaml").exit_code == 2
    assert sdkgen("old.yaml", "old.yaml", "--format", "xml").exit_code == 2


# ---------------------------------------------------------------------------- git sides


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose spec keeps `Pet` in a sibling file, committed once."""
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "specs" / "parts").mkdir(parents=True)
    document = spec()
    parts = {name: document["components"]["schemas"].pop(name) for name in ("Pet", "Owner")}
    for operation in ("/pets", "/pets/{petId}"):
        for method in document["paths"][operation].values():
            for response in method["responses"].values():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                target = schema.get("items", schema)
                if target.get("$ref") == "#/components/schemas/Pet":
                    target["$ref"] = "parts/pet.yaml#/components/schemas/Pet"
    write(tmp_path / "specs" / "shop.yaml", document)
    write(tmp_path / "specs" / "parts" / "pet.yaml", {"components": {"schemas": parts}})
    write(tmp_path / "specs" / "other.yaml", spec(lambda d: d["info"].update(title="Other")))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "specs")
    return tmp_path


def edit_pet(repo: Path) -> None:
    path = repo / "specs" / "parts" / "pet.yaml"
    path.write_text(path.read_text().replace("maxLength: 50", "maxLength: 80"))


def test_rev_path_reads_sibling_refs_at_that_revision(repo: Path) -> None:
    edit_pet(repo)
    result = sdkgen("HEAD:specs/shop.yaml", "specs/shop.yaml", "--format", "json")
    assert result.exit_code == 1, result.output
    widened = next(f for f in json.loads(result.output) if f["id"] == "response-constraint-widened")
    assert widened["file"] == "specs/parts/pet.yaml"  # NEW's sibling, beside NEW
    assert widened["message"] == "Pet.name: maxLength 50 -> 80"
    # Both sides from git: the committed sibling is read, so nothing differs.
    assert sdkgen("HEAD:specs/shop.yaml", "main:specs/shop.yaml").output == "sdkgen diff: no changes found\n"


def test_old_side_locations_name_the_revision(repo: Path) -> None:
    path = repo / "specs" / "parts" / "pet.yaml"
    parts = yaml.safe_load(path.read_text())
    del parts["components"]["schemas"]["Pet"]["properties"]["tag"]
    write(path, parts)
    result = sdkgen("HEAD:specs/shop.yaml", "specs/shop.yaml")
    assert re.search(r"^HEAD:specs/parts/pet\.yaml:\d+:\d+: breaking: Pet\.tag removed", result.output, re.M), (
        result.output
    )


def test_rev_path_relative_to_the_current_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "specs")
    edit_pet(repo)
    result = sdkgen("HEAD:./shop.yaml", "shop.yaml")
    assert "[response-constraint-widened]" in result.output, result.output


def test_base_compares_every_spec(repo: Path) -> None:
    edit_pet(repo)
    (repo / "specs" / "other.yaml").unlink()
    write(repo / "specs" / "extra.yaml", spec())
    result = sdkgen("--base", "HEAD", "--format", "json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)
    ids = {(f["id"], f["file"]) for f in findings}
    assert ("spec-removed", "HEAD:specs/other.yaml") in ids
    assert ("spec-added", "specs/extra.yaml") in ids
    assert ("response-constraint-widened", "specs/parts/pet.yaml") in ids


def test_base_with_named_specs(repo: Path) -> None:
    edit_pet(repo)
    result = sdkgen("--base", "HEAD", "specs/other.yaml")
    assert result.exit_code == 0, result.output
    assert result.output == "sdkgen diff: no changes found\n"


def test_bad_revision_exits_2(repo: Path) -> None:
    result = sdkgen("nosuchrev:specs/shop.yaml", "specs/shop.yaml")
    assert result.exit_code == 2
    assert "'nosuchrev' is not a git revision" in result.output
    result = sdkgen("HEAD:specs/nothing.yaml", "specs/shop.yaml")
    assert result.exit_code == 2
    assert "no file 'specs/nothing.yaml' at HEAD" in result.output
    assert sdkgen("--base", "nosuchrev").exit_code == 2


def test_bad_old_side_from_git_is_located_at_its_revision(repo: Path) -> None:
    (repo / "specs" / "shop.yaml").write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    git(repo, "commit", "-qam", "broken")
    result = sdkgen("HEAD:specs/shop.yaml", "specs/other.yaml")
    assert result.exit_code == 2
    assert re.match(r"HEAD:specs/shop\.yaml:\d+:\d+: invalid YAML", result.output), result.output


def test_a_broken_base_version_is_a_warning_with_base(repo: Path) -> None:
    (repo / "specs" / "shop.yaml").write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    git(repo, "commit", "-qam", "broken")
    write(repo / "specs" / "shop.yaml", spec())  # the commit being made repairs it
    result = sdkgen("--base", "HEAD")
    assert result.exit_code == 0, result.output
    assert re.match(r"HEAD:specs/shop\.yaml:\d+:\d+: warning: the base version does not load", result.output)
    assert "[spec-base-unreadable]" in result.output
    assert sdkgen("--base", "HEAD", "--fail-on", "warning").exit_code == 1


def test_python_m_generator_diff(pair: Path) -> None:
    write(pair / "new.yaml", spec(narrowed))
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", "old.yaml", "new.yaml", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=pair,
    )
    assert result.returncode == 1, result.stderr
    assert {f["id"] for f in json.loads(result.stdout)} == {"request-constraint-narrowed", "version-not-bumped"}


# ---------------------------------------------------------------------------- vendor specs: --lenient and overlays


def vendor_defect(document: Spec) -> None:
    """A `default` its own schema refuses: strict mode refuses the spec, lenient mode drops it."""
    document["components"]["schemas"]["NewPet"]["properties"]["name"]["default"] = None


def test_lenient_reads_both_sides_as_generate_lenient_does(pair: Path) -> None:
    write(pair / "old.yaml", spec(vendor_defect))
    write(pair / "new.yaml", spec(lambda document: (vendor_defect(document), narrowed(document))))
    strict = sdkgen("old.yaml", "new.yaml")
    assert strict.exit_code == 2 and "a default must be valid against its own schema" in strict.output
    lenient = sdkgen("--lenient", "old.yaml", "new.yaml")
    assert lenient.exit_code == 1, lenient.output
    assert "breaking" in lenient.output and "maxLength" in lenient.output
    assert "warning: `default: null` dropped" not in lenient.output  # the repairs are generate's to report


def test_an_overlay_beside_a_side_applies_to_it(pair: Path) -> None:
    write(pair / "old.yaml", spec(vendor_defect))
    write(pair / "new.yaml", spec(vendor_defect))
    assert sdkgen("old.yaml", "new.yaml").exit_code == 2
    pointer = "$.components.schemas.NewPet.properties.name.default"
    for name in ("old", "new"):
        overlay = {
            "overlay": "1.0.0",
            "info": {"title": "fix", "version": "1"},
            "actions": [{"target": pointer, "remove": True}],
        }
        write(pair / f"{name}.overlay.yaml", overlay)
    result = sdkgen("old.yaml", "new.yaml")
    assert result.exit_code == 0, result.output


def test_a_git_side_takes_the_overlay_beside_it_at_that_revision(repo: Path) -> None:
    shop = repo / "specs" / "shop.yaml"
    document = yaml.safe_load(shop.read_text())
    vendor_defect(document)
    write(shop, document)
    pointer = "$.components.schemas.NewPet.properties.name.default"
    overlay = {
        "overlay": "1.0.0",
        "info": {"title": "fix", "version": "1"},
        "actions": [{"target": pointer, "remove": True}],
    }
    write(repo / "specs" / "shop.overlay.yaml", overlay)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "vendor spec and its overlay")
    narrowed(document)
    write(shop, document)
    result = sdkgen("HEAD:specs/shop.yaml", "specs/shop.yaml")
    assert result.exit_code == 1, result.output
    assert "maxLength" in result.output
