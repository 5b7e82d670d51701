"""What `sdkgen diff` reports: findings, and the catalogue of every rule that makes them.

Each rule has a stable kebab-case id (users put ids in ignore files and CI filters, so an id
is never renamed) and one severity. The catalogue is the single list of ids: the README's rule
table is checked against it, and a finding with an id outside it is a bug caught at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.diagnostics import Location

Severity = Literal["breaking", "warning", "info"]
Side = Literal["old", "new"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "warning", "info")


@dataclass(frozen=True, slots=True)
class RuleInfo:
    severity: Severity
    meaning: str


def _rules(*rows: tuple[str, Severity, str]) -> dict[str, RuleInfo]:
    return {rule_id: RuleInfo(severity, meaning) for rule_id, severity, meaning in rows}


RULES: dict[str, RuleInfo] = _rules(
    # Paths and operations
    ("path-removed", "breaking", "A path and every operation under it are gone."),
    ("operation-removed", "breaking", "An operation (method + path) is gone, and its SDK method with it."),
    ("operation-method-changed", "breaking", "An operation (same operationId) now uses another HTTP method."),
    ("operation-path-changed", "breaking", "An operation (same operationId) moved to another path."),
    ("operation-id-changed", "breaking", "The operationId changed, and with it the name of the SDK method."),
    ("operation-added", "info", "A new operation."),
    # Parameters
    ("parameter-added-required", "breaking", "A new required parameter: existing calls lack it."),
    ("parameter-removed", "breaking", "A parameter is gone: calls that pass it fail."),
    ("parameter-moved", "breaking", "A parameter keeps its name but travels elsewhere (`in` changed)."),
    ("parameter-made-required", "breaking", "An optional parameter became required."),
    ("parameter-type-changed", "breaking", "A parameter's type or format no longer accepts what it did."),
    ("parameter-constraint-narrowed", "breaking", "A parameter's enum, bounds, length or pattern got narrower."),
    ("parameter-style-changed", "breaking", "A parameter is serialised differently (`style` or `explode`)."),
    # Request bodies
    ("request-body-removed", "breaking", "The operation no longer takes a body (the SDK's `body=` goes)."),
    ("request-body-made-required", "breaking", "The body became required (or a required body was added)."),
    ("request-media-type-changed", "breaking", "The body's media type changed, or one it accepted is gone."),
    ("request-property-removed", "breaking", "A body member is gone."),
    ("request-property-made-required", "breaking", "A body member became required (or a required one was added)."),
    ("request-type-changed", "breaking", "A body value's type or format no longer accepts what it did."),
    ("request-enum-value-removed", "breaking", "A body value no longer accepts an enum value it did."),
    ("request-additional-properties-closed", "breaking", "A body object no longer accepts members it did not name."),
    ("request-constraint-narrowed", "breaking", "A body value's bounds, length, items, pattern or enum got narrower."),
    ("request-rule-added", "breaking", "A new or changed `x-rules` entry of severity error checks the body."),
    ("request-variant-removed", "breaking", "A `oneOf`/`anyOf` branch of a body value is gone."),
    ("request-discriminator-changed", "breaking", "A body union's discriminator or one of its mapped values changed."),
    ("request-widened", "info", "A request accepts more than it did: not breaking."),
    # Responses
    ("response-status-removed", "breaking", "A success (2xx) response status is gone."),
    ("response-status-added", "info", "A new response status."),
    ("response-media-type-changed", "breaking", "The media type the SDK parses changed, or one was removed."),
    ("response-media-type-added", "info", "A response may come in a new media type besides the ones it had."),
    ("response-property-removed", "breaking", "A response member is gone."),
    ("response-property-made-optional", "breaking", "A response member is no longer always present."),
    ("response-made-nullable", "breaking", "A response value may now be null."),
    ("response-type-widened", "breaking", "A response value may have a type or format it could not have before."),
    ("response-enum-value-added", "warning", "A new enum value in a response: code matching every value breaks."),
    ("response-constraint-widened", "breaking", "A response value's bounds, length, pattern or enum got wider."),
    ("response-variant-added", "breaking", "A new `oneOf`/`anyOf` branch of a response value."),
    ("response-discriminator-changed", "breaking", "A response union's discriminator changed or maps a new value."),
    ("response-property-added", "info", "A response may carry members old clients do not know (they keep them)."),
    ("response-narrowed", "info", "A response promises more than it did: not breaking."),
    # Security, servers, the rest of the document
    ("security-requirement-added", "breaking", "An operation that could be called without credentials needs them."),
    ("security-requirement-changed", "breaking", "An operation no longer accepts a set of credentials it did."),
    ("security-scheme-changed", "breaking", "A security scheme sends its credential differently."),
    ("server-url-changed", "breaking", "The default server URL (the SDK's default base URL) changed or is gone."),
    ("deprecated-added", "info", "An operation, parameter or schema is now deprecated."),
    ("version-not-bumped", "breaking", "Breaking changes, but `info.version`'s major part (semver) is unchanged."),
    ("spec-added", "info", "A spec that did not exist at the base revision (`--base`)."),
    ("spec-removed", "breaking", "A spec that existed at the base revision is gone (`--base`)."),
    ("spec-base-unreadable", "warning", "A spec's version at the base revision does not load (`--base`)."),
    # The generated package's surface
    ("sdk-package-renamed", "breaking", "The generated package has another name: every import changes."),
    ("sdk-method-renamed", "breaking", "A client method has another name (its operationId stayed)."),
    ("sdk-parameter-renamed", "breaking", "A method's keyword argument has another name (harmless on the wire)."),
    ("sdk-body-type-changed", "breaking", "The Python type of a method's `body=` changed."),
    ("sdk-return-type-changed", "breaking", "The Python type a method returns changed."),
    ("sdk-class-renamed", "breaking", "A model class has another name (harmless on the wire, breaks `import`)."),
    ("sdk-class-removed", "breaking", "A model class is gone."),
    ("sdk-field-renamed", "breaking", "A model field has another name."),
    ("sdk-field-removed", "breaking", "A model field is gone."),
    ("sdk-field-type-changed", "breaking", "A model field's Python type changed."),
    # The ignore file
    ("ignore-entry-expired", "warning", "An ignore-file entry is past its `until` date; it silences nothing."),
    ("ignore-entry-unmatched", "warning", "An ignore-file entry matches no finding: remove it."),
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One change: which rule, where (a JSON pointer into OLD or NEW), and a one-line message."""

    id: str
    message: str
    side: Side  # the document the pointer is in: NEW, or OLD for what is gone
    pointer: str
    location: Location | None = None  # filled in from the side's source map

    def __post_init__(self) -> None:
        if self.id not in RULES:
            raise ValueError(f"unknown diff rule id {self.id!r}")

    @property
    def severity(self) -> Severity:
        return RULES[self.id].severity
