"""The three ways `sdkgen diff` prints its findings.

- text: one `FILE:LINE:COL: severity: message [rule-id]` line per finding (the shape of
  compiler output, so editors and CI annotators jump to the line), then a summary line;
- markdown: a table for a pull-request comment;
- json: a list of `{"id", "severity", "file", "line", "column", "pointer", "message"}`, the
  shape fixed for tools (CONTRACT.md).

Findings come most severe first, then in file order.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from generator.diff.findings import SEVERITIES, Finding

Format = Literal["text", "markdown", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "json")


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    def key(finding: Finding) -> tuple[int, str, int, int, str, str]:
        where = finding.location
        return (
            SEVERITIES.index(finding.severity),
            where.file if where else "",
            (where.line or 0) if where else 0,
            (where.column or 0) if where else 0,
            finding.pointer,
            finding.id,
        )

    return sorted(findings, key=key)


def summary(findings: Sequence[Finding]) -> str:
    counts = Counter(finding.severity for finding in findings)
    if not findings:
        return "no changes found"
    warnings = counts["warning"]
    return f"{counts['breaking']} breaking, {warnings} warning{'s' if warnings != 1 else ''}, {counts['info']} info"


def render(findings: Sequence[Finding], output_format: Format) -> str:
    findings = ordered(findings)
    if output_format == "json":
        return json.dumps([as_json(finding) for finding in findings], indent=2) + "\n"
    if output_format == "markdown":
        return _markdown(findings)
    lines = [f"{_where(finding)}: {finding.severity}: {finding.message} [{finding.id}]" for finding in findings]
    lines.append(f"sdkgen diff: {summary(findings)}")
    return "\n".join(lines) + "\n"


def as_json(finding: Finding) -> dict[str, object]:
    where = finding.location
    return {
        "id": finding.id,
        "severity": finding.severity,
        "file": where.file if where else None,
        "line": where.line if where else None,
        "column": where.column if where else None,
        "pointer": finding.pointer,
        "message": finding.message,
    }


def _where(finding: Finding) -> str:
    where = finding.location
    if where is None:
        return f"#{finding.pointer}"
    if where.line is None:
        return f"{where.file}#{finding.pointer}"
    return str(where)


def _markdown(findings: Sequence[Finding]) -> str:
    lines = [f"### sdkgen diff: {summary(findings)}", ""]
    if findings:
        lines += ["| Severity | Rule | Where | Change |", "| --- | --- | --- | --- |"]
        for finding in findings:
            cells = (finding.severity, f"`{finding.id}`", f"`{_where(finding)}`", _cell(finding.message))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
