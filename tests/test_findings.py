"""Every finding in one run, each once at its own line: the spec validator's, sdkgen's own checks
and the validators compiler's refusals together, inline schemas located where they are written,
raw validator messages with a hint saying what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diagnostics import SpecError
from generator.pipeline import lint
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "anyspec"


def findings(spec: Path) -> list[tuple[int, int, str]]:
    with pytest.raises(SpecError) as caught:
        lint([spec])
    found = []
    for diagnostic in caught.value.diagnostics:
        where = diagnostic.location
        assert where is not None and where.line is not None and where.file == spec.as_posix(), str(diagnostic)
        found.append((where.line, where.column or 0, diagnostic.message))
    return found


def line_of(spec: Path, fragment: str, after: int = 0) -> int:
    lines = spec.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if number > after and fragment in line)


def test_every_phase_reports_in_one_run_each_at_its_own_line_3_1() -> None:
    spec = DATA / "findings_31.yaml"
    found = findings(spec)
    assert len(found) == len({(line, column) for line, column, _ in found}), found  # once each
    assert found == sorted(found)
    body = line_of(spec, "requestBody")
    response = line_of(spec, "responses")
    expected = [
        # a parameter's schema: a 3.1 `nullable` is refused there as anywhere else
        (line_of(spec, "schema: {type: string, nullable: true}"), "`nullable` is OpenAPI 3.0"),
        (line_of(spec, "maxLenght"), "unknown JSON Schema keyword 'maxLenght': did you mean 'maxLength'?"),
        # an inline request body and an inline response: at their lines, never 1:1
        (line_of(spec, "nullable", body), "`nullable` is OpenAPI 3.0"),
        (line_of(spec, "maxLenght", body), "did you mean 'maxLength'?"),
        (line_of(spec, "nullable", response), "`nullable` is OpenAPI 3.0"),
        (line_of(spec, "maxLenght", response), "did you mean 'maxLength'?"),
        # the spec validator, with a hint
        (line_of(spec, "required: true", response), "True is not of type 'array' (`required: true` is Swagger 2.0"),
        (line_of(spec, "e: {type: string, nullable: true}"), "`nullable` is OpenAPI 3.0"),
        # sdkgen's own checks
        (line_of(spec, "default: c"), "the default value 'c' is not one of ['a', 'b']"),
        (line_of(spec, "dup: {type: string}"), "schema name 'dup' is taken twice"),
    ]
    assert [line for line, _, _ in found] == [line for line, _ in expected], found
    for (line, _, message), (_, fragment) in zip(found, expected, strict=True):
        assert fragment in message, (line, message)


def test_every_phase_reports_in_one_run_each_at_its_own_line_3_0() -> None:
    spec = DATA / "findings_30.yaml"
    found = findings(spec)
    body = line_of(spec, "requestBody")
    maxlenght = "unknown member 'maxLenght' here: did you mean 'maxLength'?"
    expected = [
        (line_of(spec, "maxLenght"), maxlenght),
        (line_of(spec, "maxLenght", body), maxlenght),  # reported by two steps, said once
        (line_of(spec, "examples: [a]"), "a 3.0 schema takes one `example`; `examples` (a list of values) is"),
        (line_of(spec, "required: true", body), "list of an object's required properties"),
        (line_of(spec, "default: c"), "the default value 'c' is not one of ['a', 'b']"),
        (line_of(spec, "dup: {type: string}"), "schema name 'dup' is taken twice"),
    ]
    assert [line for line, _, _ in found] == [line for line, _ in expected], found
    for (line, _, message), (_, fragment) in zip(found, expected, strict=True):
        assert fragment in message, (line, message)
    # An unknown member is located at its name: two on one line are two findings.
    columns = [column for line, column, _ in found if line == line_of(spec, "examples: [a]")]
    assert len(columns) == 2


def test_lint_prints_each_finding_on_its_own_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["lint", str(DATA / "findings_31.yaml")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "findings_31.yaml:" in line and "(see also)" not in line]
    assert len(lines) == 10, result.output
    assert not any(":1:1:" in line for line in lines)
