"""JSON Schema 2020-12 (as OpenAPI 3.1 uses it) -> plain Python validator functions.

Every schema reached from an entry is turned into straight-line checks: one function per
`$ref` target, everything else inlined into its parent. The work is split by job:

- `references.py`: where each `$ref` and `$dynamicRef` leads ($id, $anchor, JSON pointers, the
  dynamic scope), with `remote.py` (other documents: the ref map, the shipped meta-schemas) and
  `vocabularies.py` (which keywords a `$schema`'s dialect makes assert);
- `planning.py`: which schemas get functions, their names, the shared constants, inlining;
- `emit.py`: walking a schema and emitting its checks (issues, `-> bool`, annotating);
- `keywords/`: the keyword table, one entry per keyword with its check and message;
- `messages.py` and `literals.py`: how issues read, and how values are spelled in code;
- `requests.py`: the schemas of what a request carries besides its body (parameters, server
  variables), synthesized so the client's checks are compiled here too.
- `regex.py` and `properties.py`: ECMA-262 patterns in Python terms, Unicode property escapes
  expanded to classes.

Refusals are `SpecError`s located at the offending keyword; annotation keywords are
ignored, anything unknown is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.emit.validators.literals import JsonValue
from generator.emit.validators.messages import check_doc, entry_doc
from generator.emit.validators.model import Entry, Module
from generator.emit.validators.planning import Plan
from generator.emit.validators.references import References
from generator.emit.validators.remote import RemoteLoader
from generator.emit.validators.walk import Emitter
from generator.spec.ref_map import RefMap


@dataclass
class Compiler:
    document: JsonValue
    assert_formats: bool = False
    ref_map: RefMap = ()  # (URI prefix, folder): where other documents are read from
    references: References = field(init=False)
    plan: Plan = field(init=False)
    emitter: Emitter = field(init=False)

    def __post_init__(self) -> None:
        self.references = References(self.document, RemoteLoader(self.ref_map))
        self.plan = Plan()
        self.emitter = Emitter(self.references, self.plan, self.assert_formats)

    def compile(
        self,
        entries: Sequence[tuple[str, str, str]],
        checks: Sequence[tuple[str, str, str, str]] = (),
        hints: Mapping[str, str] | None = None,
    ) -> Module:
        """Compile (schema name, pointer, python name) entries into a module.

        `checks` are public validators outside the `validate()` registry (the request checks:
        function name, pointer, hint, what they check); `hints` name the functions of
        schemas by pointer where the pointer alone says little (a parameter's schema).
        """
        try:
            return self._compile(entries, checks, hints)
        except SpecError as error:
            raise SpecError(self._located(d) for d in error.diagnostics) from None

    def _located(self, diagnostic: Diagnostic) -> Diagnostic:
        """A refusal inside another document (a mapped file, a meta-schema) names that file: the
        spec's source map only knows the spec's own pointers."""
        pointer = diagnostic.pointer
        if diagnostic.location is not None or not pointer or pointer.startswith("/"):
            return diagnostic
        uri, _, fragment = pointer.partition("#")
        where = Location(self.references.loader.read.get(uri, uri), pointer=fragment or "/")
        return Diagnostic(diagnostic.message, location=where, related=diagnostic.related)

    def _compile(
        self,
        entries: Sequence[tuple[str, str, str]],
        checks: Sequence[tuple[str, str, str, str]] = (),
        hints: Mapping[str, str] | None = None,
    ) -> Module:
        self.references.index_document()
        self.plan.hints.update(hints or {})
        public: list[Entry] = []
        for schema_name, pointer, python_name in entries:
            target = self._target(pointer, python_name)
            public.append(Entry(schema_name, "validate_" + python_name, target, entry_doc(schema_name), pointer))
        for function, pointer, hint, what in checks:
            target = self._target(pointer, hint)
            public.append(Entry(what, function, target, check_doc(what), pointer, registered=False))
        self._drain()
        self.plan.check_cycles()
        self.plan.inline_entries(public, self.emitter.entry_lines, self._drain)
        return Module(public, list(self.plan.constants.values()), self.plan.compiled, self.plan.helpers)

    def _target(self, pointer: str, hint: str) -> str:
        try:
            self.references.schema_at(pointer)
        except KeyError:
            raise SpecError.at(f"no schema at {pointer or '/'}", pointer=pointer) from None
        self.references.ensure_indexed(pointer)
        return self.plan.function_for(pointer, hint=hint)

    def _drain(self) -> None:
        """Compile every queued function; the refusals of all of them are raised together, so a
        spec with several unsupported constructs is told about each in one run."""
        refused: list[Diagnostic] = []
        while self.plan.queue:
            pointer, mode, name, scope = self.plan.queue.pop(0)
            try:
                self.plan.compiled.append(self.emitter.function(pointer, mode, name, scope))
            except SpecError as error:
                refused.extend(d for d in error.diagnostics if d not in refused)
        if refused:
            raise SpecError(refused)
