"""What the compiler hands the template: the module's public validators, its private
functions, its shared constants and the runtime helpers they call. Python makes every
decision; `templates/package/validators.py.jinja` only lays these out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Constant:
    name: str
    code: str
    annotation: str = ""


@dataclass
class Function:
    name: str
    signature: str
    doc: str
    lines: list[str]


@dataclass
class Entry:
    schema_name: str
    function: str  # public name: validate_<snake>
    target: str  # compiled function for the schema
    doc: str
    pointer: str = ""
    lines: list[str] | None = None  # the checks inline, when nothing else calls the target
    registered: bool = True  # reachable through `validate(schema_name, ...)` (a request check is not)


@dataclass
class Module:
    """Everything the template lays out."""

    entries: list[Entry]
    constants: list[Constant]
    functions: list[Function]
    helpers: set[str]
