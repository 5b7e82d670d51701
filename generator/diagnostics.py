"""Located errors: every refusal names a file and a line (or a JSON pointer).

Pipeline steps raise `SpecError` with whatever they know (a `Location`, or only the
JSON pointer into the loaded document); the loader's source map turns pointers into
`FILE:LINE:COL` before anything is shown to a user.

A diagnostic is an error unless it says otherwise: warnings (an overlay action that
matches nothing, a vendor defect `--lenient` repaired) are located the same way, print as
`FILE:LINE:COL: warning: ...`, and never stop a run by themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source file; line and column count from 1."""

    file: str
    line: int | None = None
    column: int | None = None
    pointer: str | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column or 1}"
        if self.pointer is not None:
            return f"{self.file}#{self.pointer}"
        return self.file


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem with the input: where it is and what to do about it."""

    message: str
    location: Location | None = None
    pointer: str | None = None  # into the bundled document, until located
    related: tuple[Location, ...] = ()
    severity: Severity = "error"
    key: bool = False  # about the member's name at `pointer` (located there), not its value

    def __str__(self) -> str:
        where = str(self.location) if self.location else (f"#{self.pointer}" if self.pointer else "")
        message = f"warning: {self.message}" if self.severity == "warning" else self.message
        text = f"{where}: {message}" if where else message
        for other in self.related:
            text += f"\n{other}: (see also)"
        return text


def warning(message: str, location: Location | None = None, *, pointer: str | None = None) -> Diagnostic:
    """A located warning: reported, never a refusal by itself."""
    return Diagnostic(message, location, pointer, severity="warning")


class SpecError(Exception):
    """Bad input: the generator refuses it with located diagnostics (exit code 2)."""

    def __init__(self, diagnostics: Diagnostic | Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = (
            (diagnostics,) if isinstance(diagnostics, Diagnostic) else tuple(diagnostics)
        )
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(cls, message: str, *, pointer: str | None = None, location: Location | None = None) -> SpecError:
        """One diagnostic, at a pointer into the document or at a known location."""
        return cls(Diagnostic(message, location=location, pointer=pointer))
