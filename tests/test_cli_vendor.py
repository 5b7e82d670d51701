"""Vendored specs on the command line: overlays (given, and beside the spec), warnings, --lenient,
--strict-warnings, and `lint --lenient` printing the overlay that makes a spec strict-clean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT, snapshot

TITLE = "$.components.schemas.CreateSessionRequest.properties.title"
RETITLE = f"""\
overlay: 1.0.0
info: {{title: Retitle, version: "1"}}
extends: zuddl.yaml
actions:
  - target: {TITLE}
    update:
      description: The session's title, as the overlay says.
"""
NOWHERE = """\
overlay: 1.0.0
info: {title: Stale, version: "1"}
actions:
  - target: $.paths['/gone'].get
    update: {summary: x}
"""
DEFECTIVE = """\
openapi: 3.1.0
info:
  title: Vendor
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id: {type: string, nullable: true}
"""


def run(*args: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], stdout=stdout, stderr=subprocess.PIPE, text=True, check=False
    )


def test_an_overlay_beside_the_spec_applies_by_itself_and_is_part_of_the_key(project: Path) -> None:
    overlay = project / "specs" / "zuddl.overlay.yaml"
    overlay.write_text(RETITLE)
    result = CliRunner().invoke(main, ["generate"])
    assert result.exit_code == 0, result.output
    assert "written   generated/zuddl  <- specs/zuddl.yaml" in result.output
    assert "unchanged generated/eventapp" in result.output
    assert "zuddl.overlay" not in result.output  # an overlay is never taken for a spec
    assert "The session's title, as the overlay says." in (project / "generated/zuddl/models.py").read_text()
    manifest = json.loads((project / "generated/zuddl/.sdkgen.json").read_text())
    assert list(manifest["overlays"]) == ["zuddl.overlay.yaml"]
    assert "unchanged generated/zuddl" in CliRunner().invoke(main, ["generate"]).output
    overlay.write_text(RETITLE.replace("as the overlay says", "as the overlay now says"))
    assert "written   generated/zuddl" in CliRunner().invoke(main, ["generate"]).output
    overlay.unlink()
    assert "written   generated/zuddl" in CliRunner().invoke(main, ["generate"]).output
    assert snapshot(project / "generated" / "zuddl") == snapshot(ROOT / "generated" / "zuddl")


def test_overlay_option_on_generate_check_and_lint(project: Path) -> None:
    (project / "retitle.yaml").write_text(RETITLE.replace("extends: zuddl.yaml", "extends: specs/zuddl.yaml"))
    before = snapshot(project / "generated")
    check = run("check", "specs/zuddl.yaml", "--overlay", "retitle.yaml")
    assert check.returncode == 1
    assert "+    The session's title, as the overlay says." in check.stdout
    assert run("lint", "specs/zuddl.yaml", "--overlay", "retitle.yaml").returncode == 0
    assert snapshot(project / "generated") == before
    generate = run("generate", "specs/zuddl.yaml", "--overlay", "retitle.yaml")
    assert generate.returncode == 0, generate.stderr
    assert generate.stderr == ""
    assert run("check", "specs/zuddl.yaml", "--overlay", "retitle.yaml").returncode == 0
    assert run("check", "specs/zuddl.yaml").returncode == 1


def test_a_finding_in_an_overlaid_value_is_located_in_the_overlay(project: Path) -> None:
    bad = RETITLE.replace("extends: zuddl.yaml", "extends: specs/zuddl.yaml")
    (project / "bad.yaml").write_text(bad.replace("description: The session's title", "minLength: -1\n      x: y"))
    before = snapshot(project / "generated")
    result = run("generate", "specs/zuddl.yaml", "--overlay", "bad.yaml")
    assert result.returncode == 2
    assert result.stderr.startswith("bad.yaml:7:18: "), result.stderr
    assert snapshot(project / "generated") == before


def test_a_target_that_selects_nothing_warns_and_strict_warnings_refuses(project: Path) -> None:
    (project / "nowhere.yaml").write_text(NOWHERE)
    before = snapshot(project / "generated")
    refused = run("generate", "specs/zuddl.yaml", "--overlay", "nowhere.yaml", "--strict-warnings")
    assert refused.returncode == 2
    assert refused.stderr.startswith("nowhere.yaml:4:13: warning: target \"$.paths['/gone'].get\" selects nothing")
    assert snapshot(project / "generated") == before
    for _ in range(2):  # written, then unchanged: the fast path reports the warning it recorded
        result = run("generate", "specs/zuddl.yaml", "--overlay", "nowhere.yaml")
        assert result.returncode == 0
        assert result.stderr.startswith("nowhere.yaml:4:13: warning: target"), result.stderr
    assert "unchanged" in result.stdout
    again = run("generate", "specs/zuddl.yaml", "--overlay", "nowhere.yaml", "--strict-warnings")
    assert again.returncode == 2


def test_lenient_generates_with_warnings_and_lint_prints_the_overlay_that_makes_it_strict(tmp_path: Path) -> None:
    spec = tmp_path / "vendor.yaml"
    spec.write_text(DEFECTIVE)
    out = str(tmp_path / "out")
    strict = run("generate", str(spec), "--out", out)
    assert strict.returncode == 2
    lenient = run("generate", str(spec), "--out", out, "--lenient")
    assert lenient.returncode == 0, lenient.stderr
    assert f"{spec}:3:3: warning: info.version is missing: taken as '0.0.0'" in lenient.stderr
    assert f"{spec}:17:48: warning: `nullable: true` is OpenAPI 3.0" in lenient.stderr
    assert f"{spec}:15:32: warning: required 'name' not defined in properties" in lenient.stderr
    assert run("generate", str(spec), "--out", out, "--lenient", "--strict-warnings").returncode == 2
    # As a user saves it: the shell makes the (empty) file before sdkgen runs.
    overlay = tmp_path / "vendor.overlay.yaml"
    with overlay.open("w") as handle:
        printed = run("lint", "--lenient", str(spec), stdout=handle)
    assert printed.returncode == 0, printed.stderr
    assert overlay.read_text().startswith("# The repairs `sdkgen lint --lenient` makes to")
    clean = run("generate", str(spec), "--out", out)
    assert clean.returncode == 0, clean.stderr
    assert clean.stderr == ""
    assert run("lint", str(spec)).stdout == f"ok        {spec}\n"


def test_default_specs_leave_overlays_aside(project: Path) -> None:
    from generator.pipeline import default_specs

    (project / "specs" / "zuddl.overlay.yaml").write_text(RETITLE)
    (project / "specs" / "other.overlay.json").write_text("{}")
    assert [path.name for path in default_specs(project / "specs")] == ["eventapp.yaml", "zuddl.yaml"]
