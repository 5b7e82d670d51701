"""`sdkgen diff`: what a spec change breaks, for the API's clients and for the SDK's users.

The steps: load both sides as `generate` does (`sources`), pair their operations
(`pairing`), run the wire rules (`rules`, with `schemas` for the direction-aware schema
comparison) and the SDK-surface rules (`surface`), locate every finding, let the ignore file
(`ignore`) silence the reviewed ones, check the version bump, and print (`report`).
Exit 0: nothing at or above the `--fail-on` level; 1: something is; 2: bad input (a side that
does not load, a bad ignore file), raised as SpecError for the CLI to print, located.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.diagnostics import Diagnostic, SpecError
from generator.diff.findings import Finding
from generator.diff.ignore import IgnoreFile
from generator.diff.keywords import Unchanged
from generator.diff.pairing import pair_operations
from generator.diff.report import Format, render
from generator.diff.rules import wire_findings
from generator.diff.sources import Loaded, base_pairs, default_specs, load_beside, load_side, run_beside
from generator.diff.surface import EXPLAINED_BY_WIRE, surface_findings

FailOn = Literal["breaking", "warning", "never"]
FAIL_ON: tuple[FailOn, ...] = ("breaking", "warning", "never")
# Both sides' operations from which the SDK-surface rules run in a forked child (a fork and
# the findings' pickle cost a few milliseconds; the rules on 1000 operations, ~0.3 s with the
# old side's view).
FORK_MIN_OPERATIONS = 400
_RELEASE = re.compile(r"^\s*[vV]?(\d+)(?:\.(\d+))?")


@dataclass(frozen=True, slots=True)
class Outcome:
    findings: list[Finding]
    output: str
    exit_code: int


def compare(old: Loaded, new: Loaded) -> list[Finding]:
    """Every finding between two loaded sides, located, without the ignore file or version check."""
    pairing = pair_operations(old.api.operations, new.api.operations)
    unchanged = Unchanged(old.document, new.document)  # (what both kinds of rules skip, found once)
    # On large specs the SDK-surface rules (and the client views they read, the old side's
    # made on first use) run in a forked child while the wire rules run here: same findings.
    large = len(old.api.operations) + len(new.api.operations) >= FORK_MIN_OPERATIONS
    surface_of = run_beside(lambda: surface_findings(old, new, pairing, unchanged), worth_it=large)
    wire = wire_findings(old, new, pairing, unchanged)
    explained = _pointer_prefixes(wire)
    surface = [
        finding
        for finding in surface_of()
        if finding.id not in EXPLAINED_BY_WIRE or (finding.side, finding.pointer) not in explained
    ]
    unique = list(dict.fromkeys((f.id, f.side, f.pointer, f.message) for f in [*wire, *surface]))
    return [
        Finding(rule_id, message, side, pointer, (old if side == "old" else new).locate(pointer))
        for rule_id, side, pointer, message in unique
    ]


def _pointer_prefixes(findings: Sequence[Finding]) -> set[tuple[str, str]]:
    """(side, pointer) of every finding and of every pointer above it."""
    prefixes: set[tuple[str, str]] = set()
    for finding in findings:
        pointer = finding.pointer
        while pointer and (finding.side, pointer) not in prefixes:
            prefixes.add((finding.side, pointer))
            pointer = pointer.rsplit("/", 1)[0]
    return prefixes


def version_finding(old: Loaded, new: Loaded) -> Finding | None:
    """`version-not-bumped` when `info.version`'s major part (minor, for 0.x) is unchanged."""
    before, after = old.api.version, new.api.version
    release = _release(after)
    if _release(before) != release:
        return None
    part = "minor" if isinstance(release, tuple) and release[0] == 0 else "major"
    if before == after:
        text = f"breaking changes, but info.version is still {after!r}"
    else:
        text = f"breaking changes, but info.version {before!r} -> {after!r} keeps its {part} version"
    return Finding("version-not-bumped", text, "new", "/info/version", new.locate("/info/version"))


def _release(version: str) -> tuple[int, int] | str:
    match = _RELEASE.match(version)
    if match is None:
        return version.strip()  # not semver: any change of the string counts as a bump
    major = int(match.group(1))
    return (0, int(match.group(2) or 0)) if major == 0 else (major, 0)


def _side_names(*labels: str | None) -> tuple[str, ...]:
    """The names an ignore entry's `spec` may give: each side as shown, and a REV:PATH's path."""
    names: list[str] = []
    for label in labels:
        if label is not None:
            names += [label, label.partition(":")[2]] if ":" in label else [label]
    return tuple(names)


def run_diff(
    old: str | None,
    new: str | None,
    *,
    base: str | None = None,
    specs: Sequence[str] = (),
    output_format: Format = "text",
    fail_on: FailOn = "breaking",
    ignore: Path | None = None,
    today: datetime.date | None = None,
    lenient: bool = False,
) -> Outcome:
    """Compare OLD with NEW (or, with `base`, every spec with its version at that revision)."""
    ignored = IgnoreFile.read(ignore, today) if ignore is not None else None
    if base is not None:
        files = [Path(spec) for spec in specs] if specs else default_specs()
        pairs = base_pairs(base, files, gone=not specs)
    else:
        assert old is not None and new is not None
        pairs = [(old, new)]
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    for old_text, new_text in pairs:
        try:
            findings += _compare_pair(old_text, new_text, ignored, tolerate_old=base is not None, lenient=lenient)
        except SpecError as error:
            diagnostics += error.diagnostics
    if diagnostics:
        raise SpecError(diagnostics)
    if ignored is not None:
        findings += ignored.leftovers()
    failing = {"breaking": ("breaking",), "warning": ("breaking", "warning"), "never": ()}[fail_on]
    code = 1 if any(finding.severity in failing for finding in findings) else 0
    return Outcome(findings, render(findings, output_format), code)


def _compare_pair(
    old_text: str | None,
    new_text: str | None,
    ignored: IgnoreFile | None,
    *,
    tolerate_old: bool = False,
    lenient: bool = False,
) -> list[Finding]:
    """One pair's findings. With `tolerate_old` (`--base`), a base version that does not load
    is a warning, not bad input: a commit that repairs a broken spec must not be refused for it."""
    pending = load_beside(old_text, lenient=lenient)  # the old side loads beside the new one
    try:
        new = load_side(new_text, lenient=lenient) if new_text is not None else None
    except BaseException:
        pending.cancel()
        raise
    try:
        old = pending.result()
    except SpecError as error:
        if not tolerate_old or new is None:
            raise
        first = error.diagnostics[0]
        text = f"the base version does not load, so nothing is compared: {first.message}"
        found = [Finding("spec-base-unreadable", text, "old", first.pointer or "", first.location)]
        return ignored.keep(found, _side_names(old_text, new_text)) if ignored is not None else found
    names = _side_names(old_text, new_text)
    if old is None or new is None:
        side = new or old
        assert side is not None
        rule_id, what = ("spec-added", "added") if old is None else ("spec-removed", "removed")
        found = [Finding(rule_id, f"spec {side.label} {what}", "new" if old is None else "old", "", side.locate(""))]
    else:
        found = compare(old, new)
    if ignored is not None:
        found = ignored.keep(found, names)
    if old is not None and new is not None and any(f.severity == "breaking" for f in found):
        bump = version_finding(old, new)
        if bump is not None:
            found += ignored.keep([bump], names) if ignored is not None else [bump]
    return found


__all__ = ["FAIL_ON", "Outcome", "compare", "run_diff", "version_finding"]
