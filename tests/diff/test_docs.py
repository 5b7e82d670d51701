"""What the README promises about `sdkgen diff` matches the code: every rule id with its severity,
the pre-commit hooks the repository offers, the configuration a user adds, `make diff`."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from generator.cli import main
from generator.diff.findings import RULES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_the_readme_documents_every_rule_with_its_severity() -> None:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (breaking|warning|info) \| (.+) \|$", README, re.MULTILINE)
    documented = {rule_id: severity for rule_id, severity, _ in rows}
    assert len(rows) == len(documented), "a rule is listed twice"
    assert documented == {rule_id: info.severity for rule_id, info in RULES.items()}


def test_the_readme_documents_the_ignore_file() -> None:
    block = re.search(r"#### The ignore file\n.*?```yaml\n(.*?)```", README, re.DOTALL)
    assert block is not None
    entries = yaml.safe_load(block.group(1))
    assert set(entries[0]) == {"id", "pointer", "reason", "until", "spec"}
    assert entries[0]["id"] in RULES


def test_the_repository_offers_three_hooks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["sdkgen-check", "sdkgen-lint", "sdkgen-diff"]
    for hook in hooks:
        program, command, *_ = hook["entry"].split()
        assert program == "sdkgen" and command in main.commands, hook
        assert hook["language"] == "python"
    diff = hooks[2]
    assert diff["entry"] == "sdkgen diff --base HEAD"  # against the previous commit
    assert diff["pass_filenames"] is False
    assert re.search(diff["files"], "specs/zuddl.yaml")
    lint = hooks[1]
    assert re.search(lint["files"], "specs/zuddl.yaml") and not re.search(lint["files"], "specs/parts/pet.yaml")


def test_the_readme_shows_the_three_line_pre_commit_config() -> None:
    block = re.search(r"#### Pre-commit hooks\n.*?```yaml\n(.*?)```", README, re.DOTALL)
    assert block is not None
    assert len(block.group(1).strip().splitlines()) == 3
    config = yaml.safe_load(block.group(1))
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in config["repos"][0]["hooks"]] == [h["id"] for h in hooks]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_diff_runs_sdkgen_diff_against_base() -> None:
    def dry_run(*args: str) -> str:
        # `-o` keeps make from rebuilding the virtualenv the tests run in.
        command = ["make", "--no-print-directory", "-o", ".venv/.sdkgen-installed", "-n", "diff", *args]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        return next(line for line in result.stdout.splitlines() if "sdkgen diff" in line)

    assert dry_run("BASE=v1.2").endswith("sdkgen diff --base v1.2")
    assert dry_run().endswith("sdkgen diff --base origin/main")
