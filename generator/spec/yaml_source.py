"""YAML source files: bytes -> plain JSON data, plus where every value was written.

Why not `yaml.safe_load`: a refusal must say `FILE:LINE:COL`, so the file is composed with
pyyaml's node API and every value's position is kept, in a map keyed by JSON pointer (not
in the data: the data stays plain JSON that any tool can read). And OpenAPI recommends
YAML 1.2, while PyYAML resolves plain scalars by YAML 1.1 (`OFF` a boolean, `0755` an
octal): plain scalars are re-read here with the 1.2 core schema. Anything that is not
plain JSON (custom tags, merge keys, non-finite numbers, several documents) is refused,
located; so are files over the size limit, non-UTF-8 bytes and alias bombs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.spec.pointers import JsonValue, join_pointer

DEFAULT_MAX_SPEC_BYTES = 32 * 1024 * 1024
MAX_NESTING = 200
_YAML_CORE = "tag:yaml.org,2002:"
# Plain scalars of these tags are re-read with YAML 1.2's core schema (`_Converter.core_scalar`).
_IMPLICIT_TAGS = frozenset(_YAML_CORE + kind for kind in ("str", "null", "bool", "int", "float", "timestamp"))
_CORE_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_CORE_INT = re.compile(r"[-+]?[0-9]+")
_CORE_OCTAL = re.compile(r"0o[0-7]+")
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_CORE_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")

try:  # the C parser is 5-10x faster on large specs; fall back when libyaml is absent
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


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

    Positions are only needed to report a problem, so a document read without them
    (`read_document`) works them out from its bytes the first time they are asked for.
    """

    def __init__(
        self,
        path: Path,
        display: str,
        raw: bytes,
        data: JsonValue,
        positions: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        self.path = path
        self.display = display
        self.raw = raw
        self.data = data
        self._positions = positions
        self._key_positions: dict[str, tuple[int, int]] | None = None

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
        converter = _Converter(self.display, decode_utf8(self.raw, self.display))
        converter.convert(_compose(converter.text, self.display), "", 0)
        self._positions, self._key_positions = converter.positions, converter.key_positions

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
        return Diagnostic(diagnostic.message, self.locate(diagnostic.pointer), None, diagnostic.related)

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
            raise self.error(node, "YAML aliases expand past a sane bound (is this an alias bomb?)")
        if depth > MAX_NESTING:
            raise self.error(node, f"nested more than {MAX_NESTING} levels deep")
        if self.record:
            self.positions.setdefault(pointer, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self.convert_mapping(node, pointer, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _YAML_CORE + "seq":
                raise self.error(node, f"unsupported YAML tag {node.tag}: a spec holds plain JSON values")
            if not self.record:
                return [self.convert(item, "", depth + 1) for item in node.value]
            return [self.convert(item, join_pointer(pointer, i), depth + 1) for i, item in enumerate(node.value)]
        return self.convert_scalar(cast(yaml.ScalarNode, node))

    def convert_mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, JsonValue]:
        if node.tag != _YAML_CORE + "map":
            raise self.error(node, f"unsupported YAML tag {node.tag}: a spec holds plain JSON values")
        result: dict[str, JsonValue] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "a mapping key must be a plain scalar")
            if key_node.tag == _YAML_CORE + "merge":
                raise self.error(key_node, "YAML merge keys (<<) are not supported: write the members out")
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
        if tag == _YAML_CORE + "str":
            return node.value
        if tag == _YAML_CORE + "null":
            return None
        if tag == _YAML_CORE + "bool":
            return self.constructor.construct_yaml_bool(node)
        if tag == _YAML_CORE + "int":
            return self.constructor.construct_yaml_int(node)
        if tag == _YAML_CORE + "float":
            number = self.constructor.construct_yaml_float(node)
            if math.isinf(number) or math.isnan(number):
                raise self.error(node, f"{node.value} is not a JSON number")
            return number
        if tag == _YAML_CORE + "timestamp":
            return node.value  # a date stays the string it was written as, as in JSON
        raise self.error(node, f"unsupported YAML tag {tag}: a spec holds plain JSON values")

    def core_scalar(self, node: yaml.ScalarNode) -> JsonValue:
        """A plain scalar read with YAML 1.2's core schema, as OpenAPI recommends.

        PyYAML resolves YAML 1.1: `OFF`, `no`, `yes`, `on` become booleans (Cohere's spec has
        `enum: [..., OFF]`), `0755` an octal 493, `1:20` the integer 80 and `1_000` 1000. In
        YAML 1.2 (and in JSON) those are the strings and the decimal they look like.
        """
        text = node.value
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
            raise self.error(node, f"{text} is not a JSON number")
        return text


def parse_yaml(text: str, display: str) -> tuple[JsonValue, dict[str, tuple[int, int]]]:
    """YAML text -> (JSON data, pointer -> (line, column)); located errors for bad YAML."""
    converter = _Converter(display, text)
    return converter.convert(_compose(text, display), "", 0), converter.positions


def parse_yaml_data(text: str, display: str) -> JsonValue:
    """YAML text -> JSON data, refusing exactly what `parse_yaml` refuses, without positions."""
    return _Converter(display, text, record=False).convert(_compose(text, display), "", 0)


def _compose(text: str, display: str) -> yaml.Node:
    """The node tree of the file's one YAML document."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or "invalid YAML"
        if mark is None:
            raise SpecError.at(f"invalid YAML: {problem}", location=Location(display)) from None
        lines = text.splitlines()
        if (mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t") or "tab" in problem:
            problem += " (a tab: YAML allows only spaces for indentation)"
        raise SpecError.at(
            f"invalid YAML: {problem}", location=Location(display, mark.line + 1, mark.column + 1)
        ) from None
    except yaml.YAMLError as error:
        raise SpecError.at(f"invalid YAML: {error}", location=Location(display)) from None
    except RecursionError:
        raise SpecError.at(f"nested more than {MAX_NESTING} levels deep", location=Location(display)) from None
    if not nodes or nodes[0] is None:
        raise SpecError.at("empty file: expected an OpenAPI document", location=Location(display, 1, 1))
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise SpecError.at(
            "more than one YAML document in the file", location=Location(display, mark.line + 1, mark.column + 1)
        )
    return nodes[0]


def read_document(path: Path, display: str, max_bytes: int = DEFAULT_MAX_SPEC_BYTES) -> SourceDocument:
    """A file's data; its positions are worked out when a problem needs locating."""
    raw = read_bytes(path, display, max_bytes)
    return SourceDocument(path, display, raw, parse_yaml_data(decode_utf8(raw, display), display))
