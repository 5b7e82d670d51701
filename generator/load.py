"""Load step: spec file -> one bundled JSON document that remembers where everything came from.

- YAML is composed with pyyaml's node API, so every value keeps its file, line and column
  (kept in a `SourceMap` keyed by JSON pointer, not in the data: the data stays plain
  JSON that any tool can read).
- `$ref`s to sibling files are bundled into the main document (components are hoisted
  under their own name, anything else is inlined); afterwards every `$ref` is local.
- The bundled document is checked with openapi-spec-validator; its findings are mapped
  back to `FILE:LINE:COL`.
"""

from __future__ import annotations

import copy
import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from generator.diagnostics import Diagnostic, Location, SpecError

JsonValue = Any  # None | bool | int | float | str | list[JsonValue] | dict[str, JsonValue]

DEFAULT_MAX_SPEC_BYTES = 32 * 1024 * 1024
MAX_NESTING = 200
_COMPONENT_POINTER = re.compile(r"^/components/([A-Za-z]+)/([^/]+)$")
_URL_REF = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
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


def escape_token(token: str) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, token: str | int) -> str:
    return f"{pointer}/{escape_token(str(token))}"


def split_pointer(pointer: str) -> list[str]:
    return [unescape_token(t) for t in pointer.split("/")[1:]] if pointer else []


def copy_json(value: JsonValue) -> JsonValue:
    """A deep copy of JSON data (`copy.deepcopy` without its bookkeeping: several times faster)."""
    if isinstance(value, dict):
        return {key: copy_json(member) for key, member in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value  # str, int, float, bool and None are immutable


def resolve_pointer(document: JsonValue, pointer: str) -> JsonValue:
    """The value at `pointer`; KeyError when there is none."""
    value = document
    for token in split_pointer(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise KeyError(pointer)
    return value


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

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        """JSON pointer -> (line, column) of every value of the file (as parsed, before bundling)."""
        if self._positions is None:
            _, self._positions = parse_yaml(decode_utf8(self.raw, self.display), self.display)
        return self._positions

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
        probe = pointer
        while probe:
            graft = self.grafts.get(probe)
            if graft is not None:
                document, origin = graft
                return document.locate(origin + pointer[len(probe) :])
            probe = probe.rsplit("/", 1)[0]
        return self.main.locate(pointer)

    def resolve(self, diagnostic: Diagnostic) -> Diagnostic:
        """Give a pointer-only diagnostic its file position."""
        if diagnostic.location is not None or diagnostic.pointer is None:
            return diagnostic
        return Diagnostic(diagnostic.message, self.locate(diagnostic.pointer), None, diagnostic.related)

    def resolve_error(self, error: SpecError) -> SpecError:
        return SpecError(self.resolve(d) for d in error.diagnostics)


@dataclass
class LoadedSpec:
    """A spec, bundled into one document in which every `$ref` is local."""

    path: Path
    display: str
    raw: bytes
    sha256: str
    data: dict[str, JsonValue]
    source_map: SourceMap
    referenced_files: dict[str, str]  # path relative to the spec's folder -> sha256 of its bytes

    def locate(self, pointer: str) -> Location:
        return self.source_map.locate(pointer)


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
            result[key] = self.convert(value_node, join_pointer(pointer, key) if self.record else "", depth + 1)
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


# ---------------------------------------------------------------------------- $ref bundling


class _Bundler:
    """Makes every `$ref` local: hoists components from sibling files, inlines the rest."""

    def __init__(self, main: SourceDocument, max_bytes: int) -> None:
        self.main = main
        self.max_bytes = max_bytes
        self.source_map = SourceMap(main)
        self.documents: dict[Path, SourceDocument] = {main.path.resolve(): main}
        self.hoisted: dict[tuple[Path, str], str] = {}
        self.diagnostics: list[Diagnostic] = []

    def bundle(self) -> None:
        self.main.data = self.walk(self.main.data, self.main, "", "", ())

    def referenced_files(self) -> dict[str, str]:
        base = self.main.path.resolve().parent
        return {
            _relative(path, base): hashlib.sha256(document.raw).hexdigest()
            for path, document in sorted(self.documents.items())
            if document is not self.main
        }

    def walk(
        self,
        node: JsonValue,
        document: SourceDocument,
        doc_pointer: str,
        out_pointer: str,
        inlining: tuple[tuple[Path, str], ...],
    ) -> JsonValue:
        """Rewrite refs below `node` (found at `doc_pointer` in `document`, placed at `out_pointer`)."""
        # Scalars hold no `$ref`: only containers are walked (and get pointers worked out).
        if isinstance(node, list):
            return [
                self.walk(item, document, join_pointer(doc_pointer, i), join_pointer(out_pointer, i), inlining)
                if isinstance(item, (dict, list))
                else item
                for i, item in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and not _is_schema_keyword_map(doc_pointer):
            replaced = self.rewrite_ref(node, ref, document, doc_pointer, out_pointer, inlining)
            if replaced is not None:
                return replaced
        for key in list(node):
            if key == "$ref" or not isinstance(node[key], (dict, list)) or _is_extension(key, doc_pointer):
                continue
            node[key] = self.walk(
                node[key], document, join_pointer(doc_pointer, key), join_pointer(out_pointer, key), inlining
            )
        return node

    def rewrite_ref(
        self,
        node: dict[str, JsonValue],
        ref: str,
        document: SourceDocument,
        doc_pointer: str,
        out_pointer: str,
        inlining: tuple[tuple[Path, str], ...],
    ) -> JsonValue | None:
        """Make one `$ref` local; returns a replacement node when the target was inlined."""
        ref_pointer = join_pointer(doc_pointer, "$ref")
        target = self.target_of(ref, document, ref_pointer)
        if target is None:
            return None
        target_doc, target_pointer = target
        if target_doc is self.main:
            node["$ref"] = "#" + target_pointer
            return None
        if _COMPONENT_POINTER.match(target_pointer):
            node["$ref"] = "#" + self.hoist(target_doc, target_pointer, document, ref_pointer)
            return None
        key = (target_doc.path.resolve(), target_pointer)
        if key in inlining:
            self.diagnostics.append(
                Diagnostic(
                    f"cyclic $ref {ref!r}: a recursive schema in another file must live under "
                    "components/schemas so it can be referenced by name",
                    document.locate(ref_pointer),
                )
            )
            return None
        inlined = copy.deepcopy(resolve_pointer(target_doc.data, target_pointer))
        self.source_map.grafts[out_pointer] = (target_doc, target_pointer)
        inlined = self.walk(inlined, target_doc, target_pointer, out_pointer, (*inlining, key))
        if isinstance(inlined, dict):
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return {**inlined, **siblings} if siblings else inlined
        return inlined

    def target_of(self, ref: str, document: SourceDocument, ref_pointer: str) -> tuple[SourceDocument, str] | None:
        def fail(message: str) -> None:
            self.diagnostics.append(Diagnostic(message, document.locate(ref_pointer)))

        if _URL_REF.match(ref):
            fail(f"$ref {ref!r}: remote references are not supported; save the file beside the spec")
            return None
        file_part, _, fragment = ref.partition("#")
        if fragment and not fragment.startswith("/"):
            fail(f"$ref {ref!r}: only JSON-pointer fragments (#/...) are supported, not anchors")
            return None
        pointer = _percent_decode(fragment)
        target_doc = document
        if file_part:
            target_path = (document.path.parent / _percent_decode(file_part)).resolve()
            target_doc_or_none = self.load_sibling(target_path, file_part, fail)
            if target_doc_or_none is None:
                return None
            target_doc = target_doc_or_none
        try:
            resolve_pointer(target_doc.data, pointer)
        except KeyError:
            where = f" in {target_doc.display}" if target_doc is not document else ""
            fail(f"unresolvable $ref {ref!r}: nothing at {pointer or '/'}{where}")
            return None
        return target_doc, pointer

    def load_sibling(self, path: Path, written: str, fail: Any) -> SourceDocument | None:
        known = self.documents.get(path)
        if known is not None:
            return known
        if not path.is_file():
            fail(f"$ref to a missing file {written!r}")
            return None
        display = _relative(path, self.main.path.resolve().parent)
        try:
            loaded = read_document(path, display, self.max_bytes)
        except SpecError as error:
            self.diagnostics.extend(error.diagnostics)
            return None
        self.documents[path] = loaded
        return loaded

    def hoist(self, document: SourceDocument, pointer: str, via: SourceDocument, ref_pointer: str) -> str:
        """Copy a component of another file into the main document under the same name."""
        key = (document.path.resolve(), pointer)
        known = self.hoisted.get(key)
        if known is not None:
            return known
        kind, name = split_pointer(pointer)[1:]
        components = self.main.data.setdefault("components", {})
        section = components.setdefault(kind, {}) if isinstance(components, dict) else None
        if not isinstance(section, dict):
            self.diagnostics.append(Diagnostic(f"components/{kind} must be a mapping", self.main.locate("")))
            return pointer
        if name in section:
            self.diagnostics.append(
                Diagnostic(
                    f"$ref to {document.display}#{pointer} clashes with the spec's own components/{kind}/{name}; "
                    "rename one of them",
                    via.locate(ref_pointer),
                    related=(self.main.locate(pointer),),
                )
            )
            return pointer
        self.hoisted[key] = pointer
        self.source_map.grafts[pointer] = (document, pointer)
        section[name] = None  # reserve the name before walking, so self-references terminate
        section[name] = self.walk(
            copy.deepcopy(resolve_pointer(document.data, pointer)), document, pointer, pointer, ()
        )
        return pointer


def _is_extension(key: str, pointer: str) -> bool:
    """True for a specification extension (`x-...`), whose content is another tool's business.

    A `$ref` inside one (Fern's `x-fern-examples` code samples, Redocly's `x-codeSamples`
    pointing at a `.ts` file) is for that tool to resolve; sdkgen reads no extension but its
    own, which hold no `$ref`. A property *named* `x-...` is not an extension.
    """
    return key.startswith("x-") and not _is_schema_keyword_map(pointer)


def _is_schema_keyword_map(pointer: str) -> bool:
    """True where `$ref` is a member *name* (a property called "$ref"), not a reference."""
    return pointer.endswith(("/properties", "/patternProperties", "/$defs", "/definitions", "/examples"))


def _percent_decode(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text)


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------------------- ref cycles

_SCHEMA_PREFIX = "/components/schemas/"
_IN_PLACE_KEYWORDS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_SINGLE = ("not", "if", "then", "else")


def _in_place_refs(schema: JsonValue, pointer: str) -> Iterator[tuple[str, str]]:
    """(`$ref` pointer, target) for refs applied to the *same* instance as `schema`."""
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        yield join_pointer(pointer, "$ref"), ref[1:]
    for key in _IN_PLACE_KEYWORDS:
        members = schema.get(key)
        if isinstance(members, list):
            for index, sub in enumerate(members):
                yield from _in_place_refs(sub, join_pointer(join_pointer(pointer, key), index))
    for key in _IN_PLACE_SINGLE:
        if key in schema:
            yield from _in_place_refs(schema[key], join_pointer(pointer, key))
    dependent = schema.get("dependentSchemas")
    if isinstance(dependent, dict):
        for name, sub in dependent.items():
            yield from _in_place_refs(sub, join_pointer(join_pointer(pointer, "dependentSchemas"), name))


def check_ref_cycles(data: dict[str, JsonValue], locate: Any) -> None:
    """A `$ref` cycle that never descends into the data would recurse forever: refuse it."""
    diagnostics: list[Diagnostic] = []
    components = data.get("components")
    section = components.get("schemas", {}) if isinstance(components, dict) else {}
    edges: dict[str, list[tuple[str, str]]] = {}
    for name, body in section.items():
        pointer = _SCHEMA_PREFIX + escape_token(name)
        edges[pointer] = []
        for ref_pointer, target in _in_place_refs(body, pointer):
            tokens = split_pointer(target)
            if len(tokens) >= 3 and tokens[:2] == ["components", "schemas"]:
                edges[pointer].append((ref_pointer, _SCHEMA_PREFIX + escape_token(tokens[2])))
    state: dict[str, int] = {}  # 1: on the stack, 2: done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for ref_pointer, target in edges.get(node, []):
            if state.get(target) == 1:
                diagnostics.append(
                    Diagnostic(
                        f"cyclic $ref: {target.rsplit('/', 1)[-1]} refers back to itself without descending "
                        "into a property or item",
                        locate(ref_pointer),
                    )
                )
            elif target not in state:
                visit(target, [*trail, ref_pointer])
        state[node] = 2

    for node in edges:
        if node not in state:
            visit(node, [])
    if diagnostics:
        raise SpecError(diagnostics)


# ---------------------------------------------------------------------------- validation


def _spec_validator(data: dict[str, JsonValue], display: str, locate: Any) -> Any:
    version = data.get("openapi")
    if "swagger" in data and version is None:
        raise SpecError.at(
            "Swagger 2.0 is not supported: convert the spec to OpenAPI 3.0 or 3.1", location=locate("/swagger")
        )
    if version is None:
        raise SpecError.at("not an OpenAPI document: the `openapi` member is missing", location=locate(""))
    if not isinstance(version, str) or not re.fullmatch(r"3\.[01]\.\d+(-.+)?", version):
        raise SpecError.at(
            f"unsupported OpenAPI version {version!r}: sdkgen reads 3.0.x and 3.1.x", location=locate("/openapi")
        )
    dialect = data.get("jsonSchemaDialect")
    if dialect is not None and not _is_2020_12_dialect(dialect):
        raise SpecError.at(
            f"jsonSchemaDialect {dialect!r} is not supported: sdkgen reads every schema as JSON Schema "
            "2020-12 (the OpenAPI 3.1 default); drop the member and write the schemas in 2020-12 terms",
            location=locate("/jsonSchemaDialect"),
        )
    from generator.spec_validation import SpecValidator30, SpecValidator31

    validator_class = SpecValidator31 if version.startswith("3.1") else SpecValidator30
    return validator_class(data)


def _is_2020_12_dialect(dialect: JsonValue) -> bool:
    """The dialects a 3.1 document may name for what sdkgen reads: 2020-12 or OpenAPI's own on top of it."""
    if not isinstance(dialect, str):
        return False
    uri = dialect.rstrip("#")
    return uri in ("https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft/2020-12/schema") or (
        uri.startswith("https://spec.openapis.org/oas/3.1/dialect/")
    )


def validate_openapi(spec: LoadedSpec) -> None:
    """openapi-spec-validator's findings, each located in the file it came from."""
    validator = _spec_validator(spec.data, spec.display, spec.locate)
    diagnostics: list[Diagnostic] = []
    errors: list[Any] = []
    try:
        for error in validator.iter_errors():
            errors.append(error)
    except RecursionError:
        raise SpecError.at("the spec nests too deeply to validate", location=spec.locate("")) from None
    except Exception as crash:  # openapi-spec-validator trips over some malformed documents
        errors.extend(_schema_errors(spec.data))
        if not errors:
            raise SpecError.at(
                f"invalid OpenAPI document (the spec validator stopped on {type(crash).__name__}: {crash})",
                location=spec.locate(""),
            ) from None
    for error in errors:
        diagnostics.append(_diagnostic_for(error, spec))
        if len(diagnostics) >= 50:
            break
    if diagnostics:
        raise SpecError(sorted(set(diagnostics), key=_diagnostic_order))


def _schema_errors(data: dict[str, JsonValue]) -> list[Any]:
    """The document checked against the OpenAPI JSON Schema alone (no semantic checks)."""
    from openapi_spec_validator.schemas import schema_v30, schema_v31
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    version = str(data.get("openapi", ""))
    # The pure-Python backend, as in spec_validation.py: findings keep their paths.
    checker = create_validator(schema_v31 if version.startswith("3.1") else schema_v30)
    return list(checker.iter_errors(data))


def _diagnostic_for(error: Any, spec: LoadedSpec) -> Diagnostic:
    detail = _most_specific(error)
    message = str(getattr(detail, "message", detail))
    if len(message) > 240:
        message = message[:237] + "..."
    if _is_null_type(detail) and str(spec.data.get("openapi", "")).startswith("3.0"):
        message += " (OpenAPI 3.0 has no 'null' type: write `nullable: true`, or declare the spec 3.1)"
    exclusive = _boolean_exclusive(detail)
    if exclusive and str(spec.data.get("openapi", "")).startswith("3.1"):
        message += f" ({boolean_exclusive_hint(exclusive)})"
    # A default checked against its schema fails deep in a oneOf/anyOf: the top finding's
    # schema is the one that holds the `default`.
    default = _default_pointer(detail, spec) or _default_pointer(error, spec)
    if default is not None:
        return Diagnostic(f"invalid OpenAPI document: the default value {message}", spec.locate(default))
    undefined = _UNDEFINED_REQUIRED.fullmatch(message)
    if undefined:
        names = _literal_list(undefined.group(1))
        return Diagnostic(
            f"required property {', '.join(map(repr, names)) or undefined.group(1)} is defined neither in "
            "properties nor in any allOf/anyOf/oneOf branch: define it or drop it from required",
            spec.locate(_undefined_required_pointer(names, spec)),
        )
    return Diagnostic(f"invalid OpenAPI document: {message}", spec.locate(_error_pointer(detail, message, spec)))


# openapi-spec-validator's finding for an allOf schema whose `required` names an undefined
# property; it carries no path.
_UNDEFINED_REQUIRED = re.compile(r"Required list has not defined properties: (\[.*\])")


def _literal_list(text: str) -> list[str]:
    import ast

    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return []
    return sorted(str(item) for item in value) if isinstance(value, list) else []


def _undefined_required_pointer(names: list[str], spec: LoadedSpec) -> str:
    """The `required` entry naming the first of `names`, in an allOf schema of the main document."""
    wanted = set(names)
    for pointer in spec.source_map.main.positions:
        if not pointer.endswith("/required"):
            continue
        try:
            required = resolve_pointer(spec.data, pointer)
            holder = resolve_pointer(spec.data, pointer.rsplit("/", 1)[0])
        except KeyError:
            continue
        if not isinstance(required, list) or not isinstance(holder, dict) or "allOf" not in holder:
            continue
        if wanted and wanted <= {str(item) for item in required}:
            first = min(index for index, item in enumerate(required) if str(item) in wanted)
            return join_pointer(pointer, first)
    return ""


def boolean_exclusive_hint(keyword: str) -> str:
    """What to write in 3.1 for a 3.0-style boolean `exclusiveMinimum`/`exclusiveMaximum`."""
    bound = "minimum" if keyword == "exclusiveMinimum" else "maximum"
    return (
        f"a boolean {keyword} is OpenAPI 3.0: in 3.1 write `{keyword}: <limit>` in place of "
        f"`{bound}: <limit>, {keyword}: true` (or drop `false`)"
    )


def _boolean_exclusive(error: Any) -> str | None:
    """`exclusiveMinimum`/`exclusiveMaximum` when the finding is a boolean one (3.0 style)."""
    path = list(getattr(error, "absolute_path", None) or [])
    instance = getattr(error, "instance", None)
    if isinstance(instance, bool) and path and path[-1] in ("exclusiveMinimum", "exclusiveMaximum"):
        return str(path[-1])
    return None


def _is_null_type(error: Any) -> bool:
    path = list(getattr(error, "absolute_path", None) or [])
    return getattr(error, "instance", None) == "null" and bool(path) and path[-1] == "type"


def _most_specific(error: Any) -> Any:
    """The finding under a failed `oneOf`/`anyOf` that says what is wrong.

    Where the metaschema allows "a Schema Object or a Reference Object", a schema with a
    mistake deep inside also fails the Reference branch ("'$ref' is a required property"),
    which jsonschema's best_match prefers for being shallower. Unless the value has a `$ref`,
    that branch is noise: drop it and follow the other branch down.
    """
    from jsonschema.exceptions import best_match

    while getattr(error, "context", None):
        candidates = [sub for sub in error.context if not _is_reference_branch(sub)]
        if not candidates:
            break
        error = best_match(candidates) if len(candidates) == len(error.context) else _shallowest(candidates)
    return error


def _is_reference_branch(error: Any) -> bool:
    instance = getattr(error, "instance", None)
    return (
        getattr(error, "validator", None) == "required"
        and getattr(error, "validator_value", None) == ["$ref"]
        and not (isinstance(instance, dict) and "$ref" in instance)
    )


def _shallowest(errors: list[Any]) -> Any:
    from jsonschema.exceptions import relevance

    return max(errors, key=relevance)


def _default_pointer(error: Any, spec: LoadedSpec) -> str | None:
    """Where a `default` value the validator checked against its own schema is written.

    openapi-spec-validator reports such findings with an empty path (relative to the value);
    the schema holding the default is all that tells where it is.
    """
    schema = getattr(error, "schema", None)
    if getattr(error, "absolute_path", None) or not isinstance(schema, dict) or "default" not in schema:
        return None
    instance = getattr(error, "instance", None)
    if schema["default"] != instance:
        return None
    for pointer in spec.source_map.main.positions:
        if pointer.endswith("/default"):
            try:
                if resolve_pointer(spec.data, pointer.rsplit("/", 1)[0]) == schema:
                    return pointer
            except KeyError:
                continue
    return None


_DUPLICATE_OPERATION = re.compile(r"Operation ID '(.*)' for '(\w+)' in '(.*)' is not unique")
_UNKNOWN_DIALECT = re.compile(r"Unknown JSON Schema dialect: '(.*)'")
_UNRESOLVED_PARAMETER = re.compile(r"Path parameter '(.*)' for '(\w+)' operation in '(.*)' was not resolved")


def _error_pointer(error: Any, message: str, spec: LoadedSpec) -> str:
    """Where in the document a validator finding is, as precisely as it can be told."""
    tokens = [str(token) for token in getattr(error, "absolute_path", None) or []]
    pointer = "".join("/" + escape_token(token) for token in tokens)
    instance = getattr(error, "instance", None)
    try:
        if tokens and resolve_pointer(spec.data, pointer) == instance:
            return pointer
        if isinstance(instance, str) and isinstance(resolve_pointer(spec.data, pointer), dict):
            member = join_pointer(pointer, instance)  # a finding about a member's name (propertyNames)
            resolve_pointer(spec.data, member)
            return member
    except KeyError:
        pass
    operation = _DUPLICATE_OPERATION.search(message)
    if operation:
        _, method, path = operation.groups()
        return join_pointer(join_pointer(join_pointer("/paths", path), method), "operationId")
    dialect = _UNKNOWN_DIALECT.search(message)
    if dialect:
        found = _pointer_ending_in(spec, "/$schema", dialect.group(1))
        if found is not None:
            return found
    parameter = _UNRESOLVED_PARAMETER.search(message)
    if parameter:
        name, method, path = parameter.groups()
        at = join_pointer(join_pointer("/paths", path), method)
        declared = (resolve_pointer(spec.data, at) or {}).get("parameters") or []
        for index, entry in enumerate(declared):
            if isinstance(entry, dict) and entry.get("name") == name:
                return join_pointer(join_pointer(at, "parameters"), index)
        return at
    if tokens:
        # Schema findings of a 3.1 document come with paths relative to the schema checked:
        # find the schema in the document that has this value at that relative path.
        return _pointer_ending_in(spec, pointer, instance) or ""
    return ""


def _pointer_ending_in(spec: LoadedSpec, suffix: str, value: JsonValue) -> str | None:
    """The first pointer of the main document that ends with `suffix` and holds `value`."""
    for candidate in spec.source_map.main.positions:
        if candidate.endswith(suffix):
            try:
                if resolve_pointer(spec.data, candidate) == value:
                    return candidate
            except KeyError:
                continue
    return None


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    where = diagnostic.location
    return (
        where.file if where else "",
        (where.line or 0) if where else 0,
        (where.column or 0) if where else 0,
        diagnostic.message,
    )


# ---------------------------------------------------------------------------- entry point


def load_spec(
    path: Path, display: str | None = None, max_bytes: int = DEFAULT_MAX_SPEC_BYTES, *, validate: bool = True
) -> LoadedSpec:
    """Read, parse, bundle and validate one spec; SpecError (located) on any bad input.

    With `validate=False` the openapi-spec-validator pass is left to the caller
    (`validate_openapi`), which may run it concurrently with the later steps.
    """
    display = display or path.as_posix()
    main = read_document(path, display, max_bytes)
    if not isinstance(main.data, dict):
        raise SpecError.at("an OpenAPI document must be a mapping at the top level", location=main.locate(""))
    raw = main.raw
    bundler = _Bundler(main, max_bytes)
    bundler.bundle()
    if bundler.diagnostics:
        raise SpecError(bundler.diagnostics)
    spec = LoadedSpec(
        path=path,
        display=display,
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        data=main.data,
        source_map=bundler.source_map,
        referenced_files=bundler.referenced_files(),
    )
    check_ref_cycles(spec.data, spec.locate)
    if validate:
        validate_openapi(spec)
    return spec


def iter_refs(node: JsonValue, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every (pointer of the `$ref` member, target) below `node`."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not _is_schema_keyword_map(pointer):
            yield join_pointer(pointer, "$ref"), ref
        for key, value in node.items():
            if key != "$ref":
                yield from iter_refs(value, join_pointer(pointer, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from iter_refs(item, join_pointer(pointer, index))
