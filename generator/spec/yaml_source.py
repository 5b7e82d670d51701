# Over 600 lines: the one-pass loader must equal the node-tree loader, so the two sit side by side.
"""YAML source files: bytes -> plain JSON data, plus where every value and key was written.

Why not `yaml.safe_load`: a refusal must say `FILE:LINE:COL`, so every value's position is
kept, in a map keyed by JSON pointer (not in the data: the data stays plain JSON that any
tool can read). And OpenAPI recommends YAML 1.2, while PyYAML resolves plain scalars by
YAML 1.1 (`OFF` a boolean, `0755` an octal): plain scalars are re-read here with the 1.2
core schema. Anything that is not plain JSON (custom tags, merge keys, non-finite numbers,
several documents) is refused, located; so are files over the size limit, non-UTF-8 bytes
and alias bombs.

Why two loaders: the data and every position come from one pass over libyaml's parser
events (`_EventLoader`), several times faster than composing PyYAML's node tree and walking
it (`_reference_load`), so positions are recorded as the data is read and a finding never
needs the file parsed again. The node-tree loader stays as the definition the one-pass
loader is tested against, and for a PyYAML built without libyaml.
"""

from __future__ import annotations

import gc
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import yaml

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.spec.pointers import JsonValue, escape_token, join_pointer

DEFAULT_MAX_SPEC_BYTES = 32 * 1024 * 1024
MAX_NESTING = 200
_YAML_CORE = "tag:yaml.org,2002:"
_STR_TAG, _MAP_TAG, _SEQ_TAG, _MERGE_TAG = (_YAML_CORE + kind for kind in ("str", "map", "seq", "merge"))
# Plain scalars of these tags are re-read with YAML 1.2's core schema (`_core_value`).
_IMPLICIT_TAGS = frozenset(_YAML_CORE + kind for kind in ("str", "null", "bool", "int", "float", "timestamp"))
_CORE_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_CORE_INT = re.compile(r"[-+]?[0-9]+")
_CORE_OCTAL = re.compile(r"0o[0-7]+")
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_CORE_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
# The first characters of a plain scalar that may be anything but a string: those PyYAML's
# resolver looks at (its tag decides whether the core schema applies) and the core schema's.
# Every other plain scalar is a string, without a lookup.
_PLAIN_SPECIAL = frozenset(
    "".join(str(first) for first in yaml.resolver.Resolver.yaml_implicit_resolvers if first) + "0123456789+-.~nNtTfF"
)
# The first characters of a plain scalar that PyYAML may read as a merge key (`<<`).
_MERGE_FIRST = frozenset(
    str(first)
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    if first and any(tag == _MERGE_TAG for tag, _ in resolvers)
)
assert None not in yaml.resolver.Resolver.yaml_implicit_resolvers  # no resolver for every first character

_ALIAS_BOMB = "YAML aliases expand past a sane bound (is this an alias bomb?)"
_TOO_DEEP = f"nested more than {MAX_NESTING} levels deep"
_NON_SCALAR_KEY = "a mapping key must be a plain scalar"
_MERGE_KEY = "YAML merge keys (<<) are not supported: write the members out"
_EMPTY = "empty file: expected an OpenAPI document"
_SEVERAL_DOCUMENTS = "more than one YAML document in the file"


def _unsupported(tag: str) -> str:
    return f"unsupported YAML tag {tag}: a spec holds plain JSON values"


try:  # the C parser is 5-10x faster on large specs; fall back when libyaml is absent
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
    _CParser: Any = yaml.cyaml.CParser  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader
    _CParser = None


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, its implicit tags looked up once per distinct scalar.

    A scalar's tag is a function of its kind, value and style alone (no path resolvers are
    registered for safe loading), and a spec repeats the same scalars (`type`, `string`,
    `$ref`, ...) tens of thousands of times: half of the composing time went to the regexes.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._scalar_tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._scalar_tags.get(key)
        if tag is None:
            tag = self._scalar_tags[key] = super().resolve(kind, value, implicit)
        return tag


class SourceDocument:
    """One parsed YAML file: plain JSON data plus the position of every value.

    `read_document` records the positions as it reads the data; without libyaml they are
    only worked out (from the bytes) the first time a problem needs locating.
    """

    def __init__(
        self,
        path: Path,
        display: str,
        raw: bytes,
        data: JsonValue,
        positions: dict[str, tuple[int, int]] | None = None,
        key_positions: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        self.path = path
        self.display = display
        self.raw = raw
        self.data = data
        self._positions = positions
        self._key_positions = key_positions if positions is not None else None

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        """JSON pointer -> (line, column) of every value of the file (as parsed, before bundling)."""
        if self._positions is None:
            self._parse_positions()
        assert self._positions is not None
        return self._positions

    @property
    def key_positions(self) -> dict[str, tuple[int, int]]:
        """JSON pointer of a mapping member -> (line, column) of its key (`/paths/~1items` -> `/items:`)."""
        if self._key_positions is None:
            self._parse_positions()
        assert self._key_positions is not None
        return self._key_positions

    def _parse_positions(self) -> None:
        _, self._positions, self._key_positions = load_yaml(decode_utf8(self.raw, self.display), self.display)

    def locate_key(self, pointer: str) -> Location:
        """The position of the key that names the member at `pointer` (else where its value is)."""
        found = self.key_positions.get(pointer)
        return Location(self.display, found[0], found[1]) if found is not None else self.locate(pointer)

    def locate(self, pointer: str) -> Location:
        """The position of `pointer`, or of its nearest ancestor that has one."""
        probe = pointer
        while True:
            found = self.positions.get(probe)
            if found is not None:
                return Location(self.display, found[0], found[1])
            if not probe:
                return Location(self.display, pointer=pointer or "/")
            probe = probe.rsplit("/", 1)[0]


@dataclass
class SourceMap:
    """Maps pointers into the bundled document back to the file each value came from."""

    main: SourceDocument
    # bundled pointer prefix -> (document, pointer in that document)
    grafts: dict[str, tuple[SourceDocument, str]] = field(default_factory=dict)

    def locate(self, pointer: str) -> Location:
        """Where the value at `pointer` of the bundled document was written, in whichever file."""
        document, origin = self.origin(pointer)
        return document.locate(origin)

    def locate_key(self, pointer: str) -> Location:
        """Where the key naming the member at `pointer` was written (a path template, say)."""
        document, origin = self.origin(pointer)
        return document.locate_key(origin)

    def origin(self, pointer: str) -> tuple[SourceDocument, str]:
        """The file a pointer of the bundled document came from, and the pointer there."""
        probe = pointer
        while probe:
            graft = self.grafts.get(probe)
            if graft is not None:
                document, origin = graft
                return document, origin + pointer[len(probe) :]
            probe = probe.rsplit("/", 1)[0]
        return self.main, pointer

    def resolve(self, diagnostic: Diagnostic) -> Diagnostic:
        """Give a pointer-only diagnostic its file position."""
        if diagnostic.location is not None or diagnostic.pointer is None:
            return diagnostic
        where = self.locate_key(diagnostic.pointer) if diagnostic.key else self.locate(diagnostic.pointer)
        return replace(diagnostic, location=where, pointer=None)

    def resolve_error(self, error: SpecError) -> SpecError:
        return SpecError(self.resolve(d) for d in error.diagnostics)


# ---------------------------------------------------------------------------- reading


def read_bytes(path: Path, display: str, max_bytes: int = DEFAULT_MAX_SPEC_BYTES) -> bytes:
    """A spec file's bytes, refusing what is missing, unreadable or over the size limit."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SpecError.at(
                f"spec is {size} bytes, over the {max_bytes}-byte limit (raise it with --max-spec-bytes)",
                location=Location(display),
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise SpecError.at("no such file", location=Location(display)) from None
    except IsADirectoryError:
        raise SpecError.at("is a directory, not a spec file", location=Location(display)) from None
    except OSError as error:
        raise SpecError.at(f"cannot read: {error.strerror}", location=Location(display)) from None


def decode_utf8(raw: bytes, display: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise SpecError.at(
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the spec as UTF-8",
            location=Location(display, line, column),
        ) from None


# ---------------------------------------------------------------------------- YAML


def load_yaml(text: str, display: str) -> tuple[JsonValue, dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """YAML text -> (JSON data, value positions, key positions); located errors for bad YAML.

    One pass over libyaml's events where PyYAML has libyaml (`_EventLoader`), else the
    node tree of PyYAML's pure-Python parser (`_reference_load`): the same data, positions
    and refusals either way (tests/spec/test_yaml_differential.py).
    """
    if _CParser is None:  # pragma: no cover - PyYAML built without libyaml
        return _reference_load(text, display)
    return _EventLoader(display, text).load()


def parse_yaml(text: str, display: str) -> tuple[JsonValue, dict[str, tuple[int, int]]]:
    """YAML text -> (JSON data, pointer -> (line, column)); located errors for bad YAML."""
    data, positions, _ = load_yaml(text, display)
    return data, positions


def parse_yaml_data(text: str, display: str) -> JsonValue:
    """YAML text -> JSON data, refusing exactly what `parse_yaml` refuses."""
    return load_yaml(text, display)[0]


def read_document(path: Path, display: str, max_bytes: int = DEFAULT_MAX_SPEC_BYTES) -> SourceDocument:
    """A file's data and, where the one-pass loader runs, its positions (else worked out when asked)."""
    raw = read_bytes(path, display, max_bytes)
    text = decode_utf8(raw, display)
    if _CParser is None:  # pragma: no cover - PyYAML built without libyaml
        return SourceDocument(path, display, raw, _reference_load(text, display, record=False)[0])
    data, positions, key_positions = _EventLoader(display, text).load()
    return SourceDocument(path, display, raw, data, positions, key_positions)


def _yaml_error(text: str, display: str, problem: str | None, mark: Any) -> SpecError:
    """A libyaml or composer error (`problem` at `mark`), located, with a hint for a tab."""
    problem = problem or "invalid YAML"
    if mark is None:
        return SpecError.at(f"invalid YAML: {problem}", location=Location(display))
    lines = text.splitlines()
    if (mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t") or "tab" in problem:
        problem += " (a tab: YAML allows only spaces for indentation)"
    return SpecError.at(f"invalid YAML: {problem}", location=Location(display, mark.line + 1, mark.column + 1))


def _core_value(text: str) -> JsonValue:
    """A plain scalar read with YAML 1.2's core schema, as OpenAPI recommends; `_NOT_JSON` for .inf/.nan.

    PyYAML resolves YAML 1.1: `OFF`, `no`, `yes`, `on` become booleans (Cohere's spec has
    `enum: [..., OFF]`), `0755` an octal 493, `1:20` the integer 80 and `1_000` 1000. In
    YAML 1.2 (and in JSON) those are the strings and the decimal they look like.
    """
    if text in _CORE_NULL:
        return None
    if text in _CORE_BOOL:
        return _CORE_BOOL[text]
    if _CORE_INT.fullmatch(text):
        return int(text)
    if _CORE_OCTAL.fullmatch(text):
        return int(text[2:], 8)
    if _CORE_HEX.fullmatch(text):
        return int(text[2:], 16)
    if _CORE_FLOAT.fullmatch(text):
        return float(text)
    if _CORE_SPECIAL_FLOAT.fullmatch(text):
        return _NOT_JSON
    return text


_NOT_JSON = object()  # `_core_value` of a non-finite number, which JSON cannot hold


# ---------------------------------------------------------------------------- the reference loader


def _reference_load(
    text: str, display: str, record: bool = True
) -> tuple[JsonValue, dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """The composed node tree converted (`_Converter`): the loader where libyaml is missing, the
    one whose results `_EventLoader` must equal, and its fallback for the one refusal it does not
    locate itself."""
    converter = _Converter(display, text, record)
    return converter.convert(_compose(text, display), "", 0), converter.positions, converter.key_positions


# Explicitly tagged scalars (`!!int 7`) built by PyYAML's own constructor methods.
_EXPLICIT_CONSTRUCTORS = {
    _YAML_CORE + "bool": "construct_yaml_bool",
    _YAML_CORE + "int": "construct_yaml_int",
    _YAML_CORE + "float": "construct_yaml_float",
}


class _Converter:
    """Turns a composed YAML node tree into JSON values, recording each value's position.

    With `record=False` no position (and no pointer) is worked out: the same values and
    the same refusals, in a fraction of the time.
    """

    def __init__(self, display: str, text: str, record: bool = True) -> None:
        self.display = display
        self.text = text
        self.record = record
        self.positions: dict[str, tuple[int, int]] = {}
        self.key_positions: dict[str, tuple[int, int]] = {}
        self.constructor = _Loader("")
        # An alias re-expands its anchor; bound the total so "billion laughs" is refused.
        self.budget = 2 * len(text) + 10_000

    def error(self, node: yaml.Node, message: str) -> SpecError:
        mark = node.start_mark
        return SpecError.at(message, location=Location(self.display, mark.line + 1, mark.column + 1))

    def convert(self, node: yaml.Node, pointer: str, depth: int) -> JsonValue:
        self.budget -= 1
        if self.budget < 0:
            raise self.error(node, _ALIAS_BOMB)
        if depth > MAX_NESTING:
            raise self.error(node, _TOO_DEEP)
        if self.record:
            self.positions.setdefault(pointer, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self.convert_mapping(node, pointer, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self.error(node, _unsupported(node.tag))
            if not self.record:
                return [self.convert(item, "", depth + 1) for item in node.value]
            return [self.convert(item, join_pointer(pointer, i), depth + 1) for i, item in enumerate(node.value)]
        return self.convert_scalar(cast(yaml.ScalarNode, node))

    def convert_mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, JsonValue]:
        if node.tag != _MAP_TAG:
            raise self.error(node, _unsupported(node.tag))
        result: dict[str, JsonValue] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, _NON_SCALAR_KEY)
            if key_node.tag == _MERGE_TAG:
                raise self.error(key_node, _MERGE_KEY)
            key = str(key_node.value)  # keys as written: `200:` is "200", `on:` is "on"
            if key in result:
                raise self.error(key_node, f"duplicate key {key!r}")
            if not self.record:
                result[key] = self.convert(value_node, "", depth + 1)
                continue
            member = join_pointer(pointer, key)
            self.key_positions[member] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.convert(value_node, member, depth + 1)
        return result

    def convert_scalar(self, node: yaml.ScalarNode) -> JsonValue:
        tag = node.tag
        if not node.style and tag in _IMPLICIT_TAGS and not self.text.startswith("!", node.start_mark.index):
            return self.core_scalar(node)  # plain scalar: YAML 1.2, not PyYAML's 1.1 resolution
        if tag == _STR_TAG:
            return node.value
        if tag == _YAML_CORE + "null":
            return None
        if tag in _EXPLICIT_CONSTRUCTORS:
            # PyYAML's constructors assume a well-formed value: `!!int ''` is an IndexError
            try:
                value: JsonValue = getattr(self.constructor, _EXPLICIT_CONSTRUCTORS[tag])(node)
            except (ArithmeticError, IndexError, KeyError, ValueError):
                raise self.error(node, f"{node.value!r} is not a valid {tag.rsplit(':', 1)[-1]}") from None
            if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
                raise self.error(node, f"{node.value} is not a JSON number")
            return value
        if tag == _YAML_CORE + "timestamp":
            return node.value  # a date stays the string it was written as, as in JSON
        raise self.error(node, _unsupported(tag))

    def core_scalar(self, node: yaml.ScalarNode) -> JsonValue:
        """A plain scalar read with YAML 1.2's core schema (`_core_value`)."""
        value = _core_value(node.value)
        if value is _NOT_JSON:
            raise self.error(node, f"{node.value} is not a JSON number")
        return value


def _compose(text: str, display: str) -> yaml.Node:
    """The node tree of the file's one YAML document."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(text, display, error.problem, error.problem_mark or error.context_mark) from None
    except yaml.YAMLError as error:
        raise SpecError.at(f"invalid YAML: {error}", location=Location(display)) from None
    except RecursionError:
        raise SpecError.at(_TOO_DEEP, location=Location(display)) from None
    if not nodes or nodes[0] is None:
        raise SpecError.at(_EMPTY, location=Location(display, 1, 1))
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise SpecError.at(_SEVERAL_DOCUMENTS, location=Location(display, mark.line + 1, mark.column + 1))
    return nodes[0]


# ---------------------------------------------------------------------------- the one-pass loader


class _Deferred(Exception):
    """An alias whose expansion is refused: the reference loader says where (see `_EventLoader`)."""


class _Anchor:
    """An anchored collection: where it starts, its value, and (once closed) its positions relative to it."""

    __slots__ = ("closed", "key_positions", "key_start", "mark", "pointer", "positions", "start", "value")

    def __init__(
        self, mark: Any, pointer: str, positions: dict[str, tuple[int, int]], key_positions: dict[str, tuple[int, int]]
    ) -> None:
        self.mark = mark
        self.value: JsonValue = None
        self.pointer = pointer
        self.start = len(positions)  # its own entries are those recorded from here on
        self.key_start = len(key_positions)
        self.closed = False
        self.positions: list[tuple[str, tuple[int, int]]] = []
        self.key_positions: list[tuple[str, tuple[int, int]]] = []


class _EventLoader:
    """JSON data, value positions and key positions in one pass over libyaml's parser events.

    What `_reference_load` does in two steps (libyaml composes a node tree, then the tree is
    walked), without the tree: each event becomes a JSON value in place, and its position
    is recorded as it goes by. It must give exactly the same results, refusals included, so
    the refusals keep the reference's order: a syntax or alias error anywhere in the stream
    comes before an empty stream or a second document, which come before a refused value
    (the composer reads the whole stream before anything is converted). After a refusal the
    rest of the stream is therefore still parsed (`_rest`), only to find those.

    An alias is its anchor's value copied, with its positions (the anchor's, as the node
    tree shares the node). An expansion over the alias budget or the nesting limit is
    refused at a node inside the anchored value, which this pass keeps no trace of: that
    rare refusal is left to the reference loader (`_Deferred`), which locates it.
    """

    def __init__(self, display: str, text: str) -> None:
        self.display = display
        self.text = text
        self.positions: dict[str, tuple[int, int]] = {}
        self.key_positions: dict[str, tuple[int, int]] = {}
        # the anchors of the document read so far: a scalar's event, or a collection's _Anchor
        self.anchors: dict[str, Any] = {}
        self.plain: dict[str, JsonValue] = {}  # converted plain scalars that may not be strings
        # The rare tagged scalar is read by the reference's own code (tags, constructors).
        self.reference = _Converter(display, text)
        self.resolver = self.reference.constructor
        self.second: Any = None  # where the second document's root starts, if there is one

    def load(self) -> tuple[JsonValue, dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        # The values, positions and keys made here hold no reference cycles, and the cycle
        # collector's passes over them as they pile up cost a third of the pass.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._load()
        finally:
            if collecting:
                gc.enable()

    def _load(self) -> tuple[JsonValue, dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        parser = _CParser(self.text)
        get = parser.get_event
        try:
            get()  # the stream's start
            if get().__class__ is yaml.StreamEndEvent:
                raise SpecError.at(_EMPTY, location=Location(self.display, 1, 1))
            try:
                data = self._document(get)
            except (yaml.YAMLError, _Deferred):
                raise
            except Exception:  # a refused value (or a constructor's failure): the composer's errors come first
                if self._rest(get) is not None:
                    raise self._second_document() from None
                raise
            if self._rest(get) is not None:
                raise self._second_document()
        except yaml.MarkedYAMLError as error:
            raise _yaml_error(
                self.text, self.display, error.problem, error.problem_mark or error.context_mark
            ) from None
        except yaml.YAMLError as error:
            raise SpecError.at(f"invalid YAML: {error}", location=Location(self.display)) from None
        except _Deferred:
            return _reference_load(self.text, self.display)
        return data, self.positions, self.key_positions

    def error(self, mark: Any, message: str) -> SpecError:
        return SpecError.at(message, location=Location(self.display, mark.line + 1, mark.column + 1))

    def _second_document(self) -> SpecError:
        return self.error(self.second, _SEVERAL_DOCUMENTS)

    def _document(self, get: Callable[[], Any]) -> JsonValue:
        """The first document's root value, its DocumentStart already read.

        The hot loop of loading: one branch per kind of event, most frequent first, and the
        state in locals. `_Converter.convert`'s checks come in its order: the alias budget,
        the nesting limit, the position, then the value itself.
        """
        positions = self.positions
        key_positions = self.key_positions
        tokens: dict[str, str] = {}  # member name -> "/" + its escaped pointer token
        special, merge_first = _PLAIN_SPECIAL, _MERGE_FIRST
        scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        budget = 2 * len(self.text) + 10_000  # as `_Converter`'s
        stack: list[tuple[Any, bool, str, int, _Anchor | None]] = []
        root: JsonValue = None
        container: Any = None  # the open mapping or sequence (None: the document itself)
        is_map = False
        key: str | None = None  # in a mapping, the member whose value comes next (None: a key comes next)
        pointer = ""  # the open container's pointer
        value_pointer = ""  # the next value's pointer
        depth = 0  # the next value's depth
        opened: _Anchor | None = None  # the open container's anchor
        while True:
            event = get()
            kind = event.__class__
            if kind is scalar_event:
                if key is None and is_map:  # a member's name
                    if event.anchor is not None:
                        self._anchor(event, event)
                    name = event.value
                    mark = event.start_mark
                    if (event.tag is not None or (name[:1] in merge_first and not event.style)) and self._tag(
                        event
                    ) == _MERGE_TAG:
                        raise self.error(mark, _MERGE_KEY)
                    if name in container:
                        raise self.error(mark, f"duplicate key {name!r}")
                    token = tokens.get(name)
                    if token is None:
                        token = tokens[name] = "/" + escape_token(name)
                    value_pointer = pointer + token
                    key_positions[value_pointer] = (mark.line + 1, mark.column + 1)
                    key = name
                    continue
                if not is_map and container is not None:
                    value_pointer = pointer + (
                        _INDEX_TOKENS[len(container)] if len(container) < 1024 else f"/{len(container)}"
                    )
                mark = event.start_mark
                if event.anchor is not None:
                    self._anchor(event, event)
                budget -= 1
                if budget < 0:
                    raise self.error(mark, _ALIAS_BOMB)
                if depth > MAX_NESTING:
                    raise self.error(mark, _TOO_DEEP)
                positions[value_pointer] = (mark.line + 1, mark.column + 1)
                value = event.value
                if event.tag is not None or (not event.style and (not value or value[0] in special)):
                    value = self._scalar(event)
            elif kind is mapping_end or kind is sequence_end:
                if opened is not None:
                    self._close(opened)
                container, is_map, pointer, depth, opened = stack.pop()
                key = None
                if not stack:
                    break
                continue
            elif kind is mapping_start or kind is sequence_start:
                mark = event.start_mark
                if key is None and is_map:  # a collection as a member's name
                    if event.anchor is not None:
                        self._anchor(event, _Anchor(mark, "", positions, key_positions))
                    raise self.error(mark, _NON_SCALAR_KEY)
                if not is_map and container is not None:
                    value_pointer = pointer + _index_token(len(container))
                anchored = None
                if event.anchor is not None:
                    anchored = _Anchor(mark, value_pointer, positions, key_positions)
                    self._anchor(event, anchored)
                budget -= 1
                if budget < 0:
                    raise self.error(mark, _ALIAS_BOMB)
                if depth > MAX_NESTING:
                    raise self.error(mark, _TOO_DEEP)
                positions[value_pointer] = (mark.line + 1, mark.column + 1)
                tag = event.tag
                is_mapping = kind is mapping_start
                if tag is not None and tag != "!" and tag != (_MAP_TAG if is_mapping else _SEQ_TAG):
                    raise self.error(mark, _unsupported(tag))
                value = {} if is_mapping else []
                if container is None:
                    root = value
                elif is_map:
                    container[key] = value
                else:
                    container.append(value)
                stack.append((container, is_map, pointer, depth, opened))
                container, is_map, key, pointer, depth = value, is_mapping, None, value_pointer, depth + 1
                opened = anchored
                if anchored is not None:
                    anchored.value = value
                continue
            else:  # an alias
                anchor = self._alias(event)
                if key is None and is_map:  # as a member's name
                    if anchor.__class__ is _Anchor:
                        raise self.error(anchor.mark, _NON_SCALAR_KEY)
                    name = anchor.value
                    mark = anchor.start_mark
                    if self._tag(anchor) == _MERGE_TAG:
                        raise self.error(mark, _MERGE_KEY)
                    if name in container:
                        raise self.error(mark, f"duplicate key {name!r}")
                    value_pointer = pointer + "/" + escape_token(name)
                    key_positions[value_pointer] = (mark.line + 1, mark.column + 1)
                    key = name
                    continue
                if not is_map and container is not None:
                    value_pointer = pointer + _index_token(len(container))
                if anchor.__class__ is _Anchor:
                    value, budget = self._expand(anchor, value_pointer, depth, budget)
                else:  # the anchored scalar's node, converted again where the alias is
                    mark = anchor.start_mark
                    budget -= 1
                    if budget < 0:
                        raise self.error(mark, _ALIAS_BOMB)
                    if depth > MAX_NESTING:
                        raise self.error(mark, _TOO_DEEP)
                    positions[value_pointer] = (mark.line + 1, mark.column + 1)
                    value = self._scalar(anchor)
            if container is None:
                root = value
                break
            if is_map:
                container[key] = value
                key = None
            else:
                container.append(value)
        get()  # the document's end
        return root

    def _rest(self, get: Callable[[], Any]) -> Any:
        """Parse the rest of the stream for what the composer refuses before any value is read
        (a syntax error, an undefined or repeated anchor); the start of a second document's root."""
        names = set(self.anchors)
        documents = 0
        while True:
            event = get()
            kind = event.__class__
            if kind is yaml.AliasEvent:
                if event.anchor not in names:
                    raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
            elif kind is yaml.ScalarEvent or kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if documents == 1 and self.second is None:
                    self.second = event.start_mark
                if event.anchor is not None:
                    if event.anchor in names:
                        raise yaml.composer.ComposerError(
                            "found duplicate anchor; first occurrence", None, "second occurrence", event.start_mark
                        )
                    names.add(event.anchor)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                names = set()
            elif kind is yaml.StreamEndEvent:
                return self.second

    def _scalar(self, event: Any) -> JsonValue:
        """A scalar event's value, as `_Converter.convert_scalar` reads its node."""
        if event.tag is None and not event.style:
            text = event.value
            cached = self.plain.get(text, _NOT_JSON)
            if cached is not _NOT_JSON:
                return cached
            if self._tag(event) in _IMPLICIT_TAGS:
                value = _core_value(text)
                if value is _NOT_JSON:
                    raise self.error(event.start_mark, f"{text} is not a JSON number")
                self.plain[text] = value
                return value
        node = yaml.ScalarNode(self._tag(event), event.value, event.start_mark, event.end_mark, event.style)
        return self.reference.convert_scalar(node)

    def _tag(self, event: Any) -> str:
        """The tag libyaml's composer gives a scalar event's node."""
        tag: str | None = event.tag
        if tag is None or tag == "!":
            return cast(str, self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit))
        return tag

    def _anchor(self, event: Any, anchored: Any) -> None:
        """Register an anchor as the composer does, refusing one the document already has."""
        if event.anchor in self.anchors:
            raise yaml.composer.ComposerError(
                "found duplicate anchor; first occurrence", None, "second occurrence", event.start_mark
            )
        self.anchors[event.anchor] = anchored

    def _alias(self, event: Any) -> Any:
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
        return anchored

    def _close(self, anchor: _Anchor) -> None:
        """Keep an anchored collection's positions, relative to it, for its aliases."""
        cut = len(anchor.pointer)
        count = len(self.positions) - anchor.start
        entries = list(itertools.islice(reversed(self.positions.items()), count))
        anchor.positions = [(pointer[cut:], position) for pointer, position in reversed(entries)]
        count = len(self.key_positions) - anchor.key_start
        entries = list(itertools.islice(reversed(self.key_positions.items()), count))
        anchor.key_positions = [(pointer[cut:], position) for pointer, position in reversed(entries)]
        anchor.closed = True

    def _expand(self, anchor: _Anchor, pointer: str, depth: int, budget: int) -> tuple[JsonValue, int]:
        """An alias of a collection: a copy of its value and its positions; the budget left."""
        if not anchor.closed:
            raise _Deferred()  # an alias inside its own anchor: recursion the reference refuses
        counter = [budget]
        value = _copy_within(anchor.value, counter, MAX_NESTING - depth)
        for relative, position in anchor.positions:
            self.positions[pointer + relative] = position
        for relative, position in anchor.key_positions:
            self.key_positions[pointer + relative] = position
        return value, counter[0]


def _copy_within(value: JsonValue, budget: list[int], levels: int) -> JsonValue:
    """A deep copy of JSON data, each value counted off `budget[0]`; `_Deferred` past it or `levels`."""
    budget[0] -= 1
    if budget[0] < 0 or levels < 0:
        raise _Deferred()
    if isinstance(value, dict):
        return {key: _copy_within(member, budget, levels - 1) for key, member in value.items()}
    if isinstance(value, list):
        return [_copy_within(item, budget, levels - 1) for item in value]
    return value


_INDEX_TOKENS = [f"/{index}" for index in range(1024)]


def _index_token(index: int) -> str:
    return _INDEX_TOKENS[index] if index < 1024 else f"/{index}"
