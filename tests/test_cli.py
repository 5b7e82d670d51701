"""The CLI, through click's runner and as a real process: outputs, exit codes, bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT, snapshot


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, check=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_generate_noop_then_written(project: Path) -> None:
    result = CliRunner().invoke(main, ["generate"])
    assert result.exit_code == 0, result.output
    assert "unchanged generated/eventapp  <- specs/eventapp.yaml" in result.output
    assert "unchanged generated/zuddl  <- specs/zuddl.yaml" in result.output
    assert "2 package(s) in" in result.output
    edit(project / "specs" / "zuddl.yaml", "Title of the session.", "Title of the session (edited).")
    result = CliRunner().invoke(main, ["generate"])
    assert result.exit_code == 0, result.output
    assert "written   generated/zuddl" in result.output
    assert "unchanged generated/eventapp" in result.output
    assert "Title of the session (edited)." in (project / "generated/zuddl/models.py").read_text()


def test_generate_one_spec_into_another_folder_is_byte_identical(project: Path) -> None:
    (project / "out").mkdir()
    result = CliRunner().invoke(main, ["generate", "specs/zuddl.yaml", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert snapshot(project / "out" / "zuddl") == snapshot(ROOT / "generated" / "zuddl")


def test_check_passes_then_reports_drift(project: Path) -> None:
    assert CliRunner().invoke(main, ["check"]).exit_code == 0
    assert CliRunner().invoke(main, ["check", "--force"]).exit_code == 0
    edit(project / "specs" / "eventapp.yaml", "Title of the session.", "The title.")
    before = snapshot(project / "generated")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "--- generated/eventapp/models.py" in result.output
    assert "+    The title." in result.output
    assert snapshot(project / "generated") == before


def test_check_reports_a_hand_edit(project: Path) -> None:
    models = project / "generated" / "zuddl" / "models.py"
    models.write_text(models.read_text() + "# hand edit\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "-# hand edit" in result.output


def test_lint_ok() -> None:
    result = CliRunner().invoke(main, ["lint", str(ROOT / "specs" / "zuddl.yaml")])
    assert result.exit_code == 0
    assert "ok" in result.output


BAD_INPUTS = [
    # (spec, old text, new text, expected location, message fragment)
    ("zuddl.yaml", "  title: Zuddl Public API - Sessions", "  title: [Zuddl", "specs/zuddl.yaml:4:10", "invalid YAML"),
    (
        "zuddl.yaml",
        '$ref: "#/components/schemas/SessionFile"',
        '$ref: "#/components/schemas/SessionFiel"',
        "specs/zuddl.yaml:229:19",
        "unresolvable $ref",
    ),
    (
        "zuddl.yaml",
        "paths:\n",
        "paths:\n  /other:\n    get:\n      operationId: createSession\n"
        "      responses:\n        '200':\n          description: ok\n",
        "specs/zuddl.yaml:27:20",
        "Operation ID 'createSession' for 'post' in '/v1/events/{eventId}/sessions' is not unique",
    ),
    (
        "eventapp.yaml",
        "        colorid:\n          type: integer",
        "        colorid:\n          type: int",
        "specs/eventapp.yaml:204:17",
        "'int' is not one of",
    ),
]


@pytest.mark.parametrize(("spec", "old", "new", "where", "fragment"), BAD_INPUTS)
def test_bad_input_is_located_and_touches_nothing(
    project: Path, spec: str, old: str, new: str, where: str, fragment: str
) -> None:
    edit(project / "specs" / spec, old, new)
    before = snapshot(project / "generated")
    for command in (["generate"], ["generate", "--force"], ["check"], ["lint", f"specs/{spec}"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, (command, result.output)
        assert f"{where}: " in result.output, (command, result.output)
        assert fragment in result.output
        assert "Traceback" not in result.output
    assert snapshot(project / "generated") == before


def test_real_process_generate_check_lint(project: Path) -> None:
    result = run("generate")
    assert result.returncode == 0, result.stderr
    assert "unchanged generated/zuddl" in result.stdout
    assert run("check").returncode == 0
    edit(project / "specs" / "zuddl.yaml", '  version: "1.0.0"\n', '  version: "1.0.0"\n  version: "2"\n')
    result = run("lint", "specs/zuddl.yaml")
    assert result.returncode == 2
    assert result.stderr.startswith("specs/zuddl.yaml:5:3: duplicate key 'version'")
    assert "Traceback" not in result.stderr


def test_missing_spec(project: Path) -> None:
    result = run("generate", "specs/nope.yaml")
    assert result.returncode == 2
    assert "specs/nope.yaml: no such file" in result.stderr


def test_out_creates_a_missing_nested_folder(project: Path) -> None:
    result = run("generate", "specs/zuddl.yaml", "--out", "deep/er/out")
    assert result.returncode == 0, result.stderr
    assert snapshot(project / "deep/er/out") == {
        f"zuddl/{path}": content for path, content in snapshot(ROOT / "generated/zuddl").items()
    }


def test_a_refused_run_leaves_nothing_where_it_was_pointed(project: Path) -> None:
    edit(project / "specs" / "zuddl.yaml", "openapi: 3.1.0", "openapi: 9.9.9")
    result = run("generate", "specs/zuddl.yaml", "--out", "new/out")
    assert result.returncode == 2
    assert not (project / "new").exists()
    (project / "empty").mkdir()
    assert run("generate", "specs/zuddl.yaml", "--out", "empty").returncode == 2
    assert list((project / "empty").iterdir()) == []
    # A good run leaves only the package: no lock file, no cache.
    assert run("generate", "specs/eventapp.yaml", "--out", "empty").returncode == 0
    assert sorted(p.name for p in (project / "empty").iterdir()) == ["eventapp"]


def test_out_that_is_a_file_is_refused(project: Path) -> None:
    (project / "taken").write_text("mine\n")
    result = run("generate", "specs/zuddl.yaml", "--out", "taken")
    assert result.returncode == 2
    assert "'taken' is a file" in result.stderr
    assert (project / "taken").read_text() == "mine\n"


def test_two_specs_writing_one_package_are_refused_at_the_name(project: Path) -> None:
    zuddl = (project / "specs" / "zuddl.yaml").read_text()
    (project / "specs" / "zuddl2.yaml").write_text(zuddl)
    before = snapshot(project / "generated")
    result = run("generate", "--force")
    assert result.returncode == 2
    # Both at the line that sets the name.
    assert "specs/zuddl2.yaml:5:21: specs/zuddl2.yaml and specs/zuddl.yaml would both write package 'zuddl'" in (
        result.stderr
    )
    assert "specs/zuddl.yaml:5:21: (see also)" in result.stderr
    assert snapshot(project / "generated") == before
    # A name that comes from the file's stem: the diagnostic names the file.
    (project / "specs" / "zuddl2.yaml").unlink()
    (project / "specs" / "eventapp_copy.yaml").write_text(zuddl.replace("  x-sdkgen-package: zuddl\n", ""))
    (project / "specs" / "eventapp-copy.yml").write_text(zuddl.replace("  x-sdkgen-package: zuddl\n", ""))
    result = run("generate")
    assert result.returncode == 2
    assert "specs/eventapp_copy.yaml: specs/eventapp_copy.yaml and specs/eventapp-copy.yml would both write" in (
        result.stderr
    )
    assert "specs/eventapp-copy.yml: (see also)" in result.stderr
    assert snapshot(project / "generated") == before


def test_a_package_made_from_another_spec_is_never_replaced(project: Path) -> None:
    zuddl = (project / "specs" / "zuddl.yaml").read_text()
    (project / "specs" / "zuddl.yaml").unlink()
    (project / "specs" / "other.yaml").write_text(zuddl)
    before = snapshot(project / "generated")
    result = run("generate")
    assert result.returncode == 2
    assert "specs/other.yaml:5:21: would replace generated/zuddl/, which was generated from zuddl.yaml" in (
        result.stderr
    )
    assert snapshot(project / "generated") == before


def test_default_specs_take_yaml_yml_and_json(project: Path) -> None:
    import json

    import yaml

    zuddl = yaml.safe_load((project / "specs" / "zuddl.yaml").read_text())
    zuddl["info"]["x-sdkgen-package"] = "zuddl_json"
    (project / "specs" / "zuddl-json.json").write_text(json.dumps(zuddl))
    yml = (
        (project / "specs" / "eventapp.yaml").read_text().replace("x-sdkgen-package: eventapp", "x-sdkgen-package: ev2")
    )
    (project / "specs" / "ev2.yml").write_text(yml)
    result = run("generate")
    assert result.returncode == 0, result.stderr
    assert "written   generated/zuddl_json  <- specs/zuddl-json.json" in result.stdout
    assert "written   generated/ev2  <- specs/ev2.yml" in result.stdout


def test_noop_generate_imports_nothing_heavy(project: Path) -> None:
    assert run("generate").returncode == 0  # a fresh clone's first run renders once and records the fast path
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['sdkgen', 'generate']\n"
        "try:\n    runpy.run_module('generator', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('datamodel_code_generator', 'jinja2', 'yaml', 'openapi_spec_validator') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert "unchanged generated/zuddl" in result.stdout, result.stderr
    assert "HEAVY []" in result.stdout


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == "sdkgen, version 0.1.0"
    assert "generate" in run("--help").stdout
