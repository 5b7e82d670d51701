"""The ignore file: findings a person reviewed and accepted, each with the reason why.

    - id: response-property-removed          # the rule
      pointer: /components/schemas/Session/properties/legacyId   # where (as reported)
      reason: never populated since 2023; both known clients stopped reading it
      until: 2026-06-30                      # optional: stops silencing after this day
      spec: specs/zuddl.yaml                 # optional: only for this spec

An entry silences the findings with its id and pointer (in its spec, when it names one).
The reason is mandatory: an ignore file is a record of decisions. An entry past its `until`
date silences nothing and is reported (`ignore-entry-expired`), and so is an entry that
matched nothing (`ignore-entry-unmatched`), so the file cannot rot silently.

Values are read as the strings they are written as (no YAML 1.1 `no` -> false surprises), with
their positions, so a bad entry is refused at its line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.diagnostics import Location, SpecError
from generator.diff.findings import RULES, Finding

KEYS = ("id", "pointer", "reason", "until", "spec")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    pointer: str
    reason: str
    until: datetime.date | None
    spec: str | None
    location: Location

    def matches(self, finding: Finding, specs: tuple[str, ...]) -> bool:
        return finding.id == self.id and finding.pointer == self.pointer and (self.spec is None or self.spec in specs)


@dataclass
class IgnoreFile:
    path: str
    entries: list[Entry]
    today: datetime.date
    used: set[int] = field(default_factory=set)

    @classmethod
    def read(cls, path: Path, today: datetime.date | None = None) -> IgnoreFile:
        display = path.as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise SpecError.at(f"cannot read the ignore file: {reason}", location=Location(display)) from None
        return cls(display, _parse(text, display), today or datetime.date.today())

    def active(self, entry: Entry) -> bool:
        return entry.until is None or entry.until >= self.today

    def keep(self, findings: list[Finding], specs: tuple[str, ...]) -> list[Finding]:
        """The findings no active entry silences (`specs`: the names the compared spec goes by)."""
        kept: list[Finding] = []
        for finding in findings:
            silenced = False
            for index, entry in enumerate(self.entries):
                if self.active(entry) and entry.matches(finding, specs):
                    self.used.add(index)
                    silenced = True
            if not silenced:
                kept.append(finding)
        return kept

    def leftovers(self) -> list[Finding]:
        """Entries past their date, and entries that silenced nothing: both reported."""
        found: list[Finding] = []
        for index, entry in enumerate(self.entries):
            if not self.active(entry):
                where = entry.pointer or "/"
                text = f"ignore entry for {entry.id} at {where} expired on {entry.until}; it silences nothing"
                found.append(Finding("ignore-entry-expired", text, "new", entry.pointer, entry.location))
            elif index not in self.used:
                text = f"ignore entry for {entry.id} at {entry.pointer or '/'} matched no finding; remove it"
                found.append(Finding("ignore-entry-unmatched", text, "new", entry.pointer, entry.location))
        return found


def _parse(text: str, display: str) -> list[Entry]:
    def at(node: yaml.Node) -> Location:
        return Location(display, node.start_mark.line + 1, node.start_mark.column + 1)

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        raise SpecError.at(f"invalid YAML: {error.problem or error}", location=where) from None
    except yaml.YAMLError as error:
        raise SpecError.at(f"invalid YAML: {error}", location=Location(display)) from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise SpecError.at("the ignore file must be a list of entries (id, pointer, reason)", location=at(root))
    entries: list[Entry] = []
    for item in root.value:
        if not isinstance(item, yaml.MappingNode):
            raise SpecError.at("an ignore entry must be a mapping with id, pointer and reason", location=at(item))
        values: dict[str, str] = {}
        for key_node, value_node in item.value:
            key = str(key_node.value)
            if key not in KEYS:
                raise SpecError.at(
                    f"unknown ignore entry member {key!r} (known: {', '.join(KEYS)})", location=at(key_node)
                )
            if not isinstance(value_node, yaml.ScalarNode):
                raise SpecError.at(f"{key} must be a single value", location=at(value_node))
            values[key] = str(value_node.value)
        for key in ("id", "pointer", "reason"):
            if key not in values:
                raise SpecError.at(f"an ignore entry needs {key!r}", location=at(item))
        if values["id"] not in RULES:
            raise SpecError.at(f"unknown rule id {values['id']!r} (see the README's rule table)", location=at(item))
        if not values["reason"].strip():
            raise SpecError.at("an ignore entry needs a reason: say why the change is accepted", location=at(item))
        pointer = values["pointer"]
        if pointer not in ("", "/") and not pointer.startswith("/"):
            raise SpecError.at(f"pointer {pointer!r} must be a JSON pointer (starting with '/')", location=at(item))
        until = None
        if "until" in values:
            try:
                until = datetime.date.fromisoformat(values["until"])
            except ValueError:
                raise SpecError.at(f"until {values['until']!r} must be a date, YYYY-MM-DD", location=at(item)) from None
        entries.append(
            Entry(
                values["id"], "" if pointer == "/" else pointer, values["reason"], until, values.get("spec"), at(item)
            )
        )
    return entries
