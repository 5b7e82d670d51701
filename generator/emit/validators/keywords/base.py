"""What an entry of the keyword table is, and what its check is given.

A `Keyword` says everything the compiler knows about one keyword: what kind of keyword it
is, which instance type it checks, its check, whether that check can serve inside a single
`-> bool` expression, and how its issue reads. A check is either one condition (`fails`,
with `message`: most assertions) or statements (`emit`: keywords that walk members, items
or subschemas). Either way it is given a `Site`: one schema applied to one value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from generator.diagnostics import SpecError
from generator.emit.validators.codetree import Node
from generator.emit.validators.literals import JsonValue, Ptr
from generator.spec.pointers import join_pointer

if TYPE_CHECKING:
    from generator.emit.validators.walk import Emitter

# assertion: checks the value itself; applicator: applies subschemas (to the value, its members
# or items); unevaluated: applies a subschema to what the applicators left unevaluated;
# annotation: documentation only; identifier: names schemas and resources ($id, $defs, ...);
# format: an annotation the compiler asserts on request; hint: an annotation checks consult
# (OpenAPI's discriminator); extension: sdkgen's own checked keyword (x-rules).
Kind = Literal["assertion", "applicator", "unevaluated", "annotation", "identifier", "format", "hint", "extension"]
# The instance types checks are grouped by; "number" covers integers too.
Group = Literal["object", "array", "string", "number"]
GROUPS: tuple[Group, ...] = ("object", "array", "string", "number")
# Kinds whose keywords make a value invalid (the JSON Schema validation, applicator and
# unevaluated vocabularies).
CHECKING_KINDS = frozenset({"assertion", "applicator", "unevaluated"})


@dataclass(frozen=True)
class Keyword:
    name: str
    kind: Kind
    applies_to: Group | None = None  # the instance type it checks; None: any value
    # One-condition checks: the condition (Python, on `site.var`) under which the value fails
    # (None: it cannot fail here), and the issue's message.
    fails: Callable[[Site], str | None] | None = None
    # Other checks: the statements that check the value (issues, or `return False` in a `-> bool` function).
    emit: Callable[[Site], list[Node]] | None = None
    # How its issue reads: a one-condition keyword's is given the Site; others are called by
    # their own `emit` with what it knows (a member name, a count, ...).
    message: Callable[..., str] | None = None
    # Can take part in a single-expression verdict (a `-> bool` check written inline).
    predicate: bool = False
    # Its part of that expression, when not simply `not fails`: conjuncts, or None when this
    # occurrence has no single-expression form.
    expression: Callable[[Site], list[str] | None] | None = None
    # Checked by another keyword's check (`then` by `if`, `minContains` by `contains`).
    owner: str | None = None

    @property
    def has_check(self) -> bool:
        """Whether this entry checks anything itself (else its owner does, or it is an annotation)."""
        return self.fails is not None or self.emit is not None

    @property
    def checking(self) -> bool:
        """Whether the keyword can make a value invalid, per JSON Schema."""
        return self.kind in CHECKING_KINDS


@dataclass
class FunctionState:
    """The compiled function code is being emitted into: its name and fresh variable names."""

    name: str
    hint: str
    annotating: bool
    counter: int = 0

    def var(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


@dataclass
class Ctx:
    """Where the code being emitted sits: its function, and what it must record."""

    fn: FunctionState
    track: str | None = None  # set collecting evaluated names/indexes of this instance
    note: str | None = None  # why a `false` subschema refuses, when the spec says

    def apart(self) -> Ctx:
        """For a subschema applied to a member or item: nothing tracked, the note kept."""
        return Ctx(self.fn, None, self.note)


@dataclass(frozen=True)
class Site:
    """One schema (`node`, at `pointer`) applied to the value in variable `var`, found at `at`."""

    emitter: Emitter
    node: Mapping[str, JsonValue]
    pointer: str
    var: str
    at: Ptr
    ctx: Ctx
    hint: str  # stem for the names of constants made here

    def where(self, key: str) -> str:
        """The pointer of one of this schema's keywords (where a refusal is located)."""
        return join_pointer(self.pointer, key)

    def count(self, key: str) -> int:
        """A keyword whose value must be a non-negative integer."""
        value = self.node[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != int(value):
            raise SpecError.at(f"{key} must be a non-negative integer", pointer=self.where(key))
        return int(value)

    def schema_list(self, key: str) -> list[str]:
        """The pointers of a keyword's non-empty list of subschemas."""
        value = self.node[key]
        if not isinstance(value, list) or not value:
            raise SpecError.at(f"{key} must be a non-empty list of schemas", pointer=self.where(key))
        return [join_pointer(self.where(key), index) for index in range(len(value))]

    def issue(
        self, keyword: str, message: str, severity: str | None = None, *, dynamic: bool = False, at: Ptr | None = None
    ) -> str:
        """The statement reporting an issue here (or failing, in a `-> bool` function)."""
        return self.emitter.issue(self.at if at is None else at, keyword, message, severity, dynamic)

    def fresh(self, prefix: str) -> str:
        """A variable name not used yet in the function."""
        return self.ctx.fn.var(prefix)
