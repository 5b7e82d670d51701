"""`$ref` bundling: the main file and the sibling files it refers to -> one document.

Why bundle: every later step (the IR, the validators compiler, datamodel-code-generator)
then reads one document in which every `$ref` is local (`#/...`), and needs no file
access or resolver of its own. A component of another file is hoisted under its own
name into the main document's `components` (so recursive schemas and shared types stay
named); anything else is inlined where it is referred to. The source map records each
graft, so a problem inside a hoisted or inlined value is still reported at the line of
the file it was written in.

Also here: the check for `$ref` cycles that never descend into the data (a schema that
is, in place, itself), which every later step would otherwise recurse on forever.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.spec.pointers import (
    JsonValue,
    escape_token,
    is_name_map,
    join_pointer,
    resolve_pointer,
    split_pointer,
)
from generator.spec.ref_map import RefMap, how_to_map, info_ref_map, mapped_path, merged
from generator.spec.resources import Resources, declares_resources, index_resources, join_uri
from generator.spec.yaml_source import SourceDocument, SourceMap, read_document

_COMPONENT_POINTER = re.compile(r"^/components/([A-Za-z]+)/([^/]+)$")
_URL_REF = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_NOT_EMBEDDED = object()


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
    overlays: dict[str, str] = field(default_factory=dict)  # applied overlays, as referenced_files
    warnings: list[Diagnostic] = field(default_factory=list)  # located; never a refusal by themselves
    ref_map: RefMap = ()  # the command line's and the spec's ref maps, folders absolute

    def locate(self, pointer: str) -> Location:
        """Where the value at `pointer` of the bundled document was written."""
        return self.source_map.locate(pointer)


def bundle_spec(
    path: Path, display: str, max_bytes: int, overlays: Sequence[Path] = (), ref_map: RefMap = ()
) -> LoadedSpec:
    """Read `path`, apply `overlays` to it, and bundle the files it refers to into one document.

    SpecError (located) on bad input. The document is not checked against OpenAPI here (see
    `generator.spec.validate`): the pipeline runs that check beside the later steps.
    """
    main = read_document(path, display, max_bytes)
    warnings: list[Diagnostic] = []
    digests: dict[str, str] = {}
    if overlays:
        from generator.spec.overlay import apply_overlays

        main, warnings, digests = apply_overlays(main, overlays, max_bytes)
    if not isinstance(main.data, dict):
        raise SpecError.at("an OpenAPI document must be a mapping at the top level", location=main.locate(""))
    bundler = _Bundler(main, max_bytes)
    spec_map = info_ref_map(main.data, path.resolve().parent, bundler.fail_at_main)
    bundler.ref_map = merged(ref_map, spec_map)
    bundler.bundle()
    if bundler.diagnostics:
        raise SpecError(bundler.diagnostics)
    spec = LoadedSpec(
        path=path,
        display=display,
        raw=main.raw,
        sha256=hashlib.sha256(main.raw).hexdigest(),
        data=main.data,
        source_map=bundler.source_map,
        referenced_files=bundler.referenced_files(),
        overlays=digests,
        warnings=warnings,
        ref_map=bundler.ref_map,
    )
    check_ref_cycles(spec.data, spec.locate)
    return spec


class _Bundler:
    """Makes every `$ref` local: hoists components from sibling files, inlines the rest."""

    def __init__(self, main: SourceDocument, max_bytes: int) -> None:
        self.main = main
        self.max_bytes = max_bytes
        self.source_map = SourceMap(main)
        self.documents: dict[Path, SourceDocument] = {main.path.resolve(): main}
        self.hoisted: dict[tuple[Path, str], str] = {}
        self.diagnostics: list[Diagnostic] = []
        self.ref_map: RefMap = ()
        self.uris: dict[Path, str] = {}  # a mapped remote's retrieval URI, by its local path
        self.document_uris: dict[SourceDocument, str] = {}
        self.indexes: dict[SourceDocument, Resources] = {}
        self.owners: dict[str, SourceDocument] = {}  # resource URI -> the loaded document declaring it
        self.identified = False  # whether any loaded document declares an `$id`

    def fail_at_main(self, message: str, pointer: str) -> None:
        self.diagnostics.append(Diagnostic(message, self.main.locate(pointer)))

    def bundle(self) -> None:
        self.index_of(self.main)
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
        if isinstance(ref, str) and not is_name_map(doc_pointer):
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

        file_part, _, fragment = ref.partition("#")
        if file_part and file_part == _self_uri(document):
            file_part = ""  # OpenAPI 3.2's `$self`: the document's own URI names the document itself
        elif self.identified:  # some loaded document declares an `$id`: resolve as JSON Schema does
            own_uri = self.uri_of(document)
            base = self.index_of(document).base_at(ref_pointer.rsplit("/", 1)[0])
            uri = join_uri(base, ref)
            embedded = self.embedded(uri, ref, fail)
            if embedded is not _NOT_EMBEDDED:
                return embedded  # type: ignore[return-value]
            if base != own_uri and not ref.startswith("#"):
                file_part = uri.partition("#")[0]  # an enclosing `$id` decides where the ref leads
        mapped: Path | None = None
        if _URL_REF.match(file_part):
            try:
                mapped = mapped_path(file_part, self.ref_map)
            except SpecError as error:
                fail(error.diagnostics[0].message)
                return None
            if mapped is None:
                resolved = "" if file_part == ref.partition("#")[0] else f" ({file_part})"
                fail(f"$ref {ref!r}: a remote reference{resolved} no ref map covers: {how_to_map(file_part)}")
                return None
        target_doc = document
        if file_part:
            target_path = mapped or (document.path.parent / unquote(file_part)).resolve()
            target_doc_or_none = self.load_sibling(target_path, file_part, fail, uri=file_part if mapped else None)
            if target_doc_or_none is None:
                return None
            target_doc = target_doc_or_none
        if fragment and not fragment.startswith("/"):
            try:
                pointer = self.index_of(target_doc).locate(f"{self.uri_of(target_doc)}#{fragment}")
            except KeyError:
                pointer = None
            if pointer is None:
                fail(f"$ref {ref!r}: no $anchor {fragment!r} is declared in {target_doc.display}")
                return None
            return target_doc, pointer
        pointer = unquote(fragment)
        try:
            resolve_pointer(target_doc.data, pointer)
        except KeyError:
            where = f" in {target_doc.display}" if target_doc is not document else ""
            fail(f"unresolvable $ref {ref!r}: nothing at {pointer or '/'}{where}")
            return None
        return target_doc, pointer

    def embedded(self, uri: str, ref: str, fail: Callable[[str], None]) -> object:
        """The target of a ref whose URI names a resource an `$id` declares in a loaded document
        (or an anchor of one); `_NOT_EMBEDDED` when it names none, None once refused.

        A fragment-only JSON pointer inside an embedded resource is tried against that resource
        first (its `$defs`), then, as OpenAPI documents commonly mean it, against the document.
        """
        resource, _, fragment = uri.partition("#")
        owner = self.owners.get(resource)
        if owner is None or resource == self.uri_of(owner):
            return _NOT_EMBEDDED  # a file itself: the rules for files below
        try:
            pointer = self.index_of(owner).locate(uri)
        except KeyError:
            fail(f"$ref {ref!r}: no $anchor {fragment!r} is declared in {resource}")
            return None
        assert pointer is not None
        try:
            resolve_pointer(owner.data, pointer)
        except KeyError:
            if ref.startswith("#/"):
                return _NOT_EMBEDDED
            fail(f"unresolvable $ref {ref!r}: nothing at {fragment or '/'} in {resource}")
            return None
        return owner, pointer

    def uri_of(self, document: SourceDocument) -> str:
        """The URI a document was retrieved from: its remote URI when a ref map provided it."""
        known = self.document_uris.get(document)
        if known is None:
            path = document.path.resolve()
            known = self.document_uris[document] = self.uris.get(path) or path.as_uri()
        return known

    def index_of(self, document: SourceDocument) -> Resources:
        """The resources the document declares (indexed once; empty without `$id`s or anchors)."""
        known = self.indexes.get(document)
        if known is None:
            uri = self.uri_of(document)
            known = index_resources(document.data, uri) if declares_resources(document.raw) else Resources(uri)
            self.indexes[document] = known
            self.identified = self.identified or bool(known.id_bases)
            for resource in known.resources:
                self.owners.setdefault(resource, document)
        return known

    def load_sibling(
        self, path: Path, written: str, fail: Callable[[str], None], uri: str | None = None
    ) -> SourceDocument | None:
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
        if uri is not None:
            self.uris[path] = uri
        self.index_of(loaded)
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


def _self_uri(document: SourceDocument) -> str | None:
    """The URI a 3.2 document gives itself (`$self`), without a fragment."""
    data = document.data
    uri = data.get("$self") if isinstance(data, dict) else None
    return uri.partition("#")[0] if isinstance(uri, str) and uri else None


def _is_extension(key: str, pointer: str) -> bool:
    """True for a specification extension (`x-...`), whose content is another tool's business.

    A `$ref` inside one (Fern's `x-fern-examples` code samples, Redocly's `x-codeSamples`
    pointing at a `.ts` file) is for that tool to resolve; sdkgen reads no extension but its
    own, which hold no `$ref`. A property *named* `x-...` is not an extension.
    """
    return key.startswith("x-") and not is_name_map(pointer)


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


def check_ref_cycles(data: dict[str, JsonValue], locate: Callable[[str], Location]) -> None:
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

    def visit(node: str) -> None:
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
                visit(target)
        state[node] = 2

    for node in edges:
        if node not in state:
            visit(node)
    if diagnostics:
        raise SpecError(diagnostics)
