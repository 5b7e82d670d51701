"""Where a `$ref` (or a `$dynamicRef`) leads.

JSON Schema resolves a reference against the base URI of the schema holding it, which
`$id`s along the way change, and its fragment may be a JSON pointer or an `$anchor`. The
index below records the base URI of every schema and the resources and anchors the
documents declare, so any reference turns into a location: a JSON pointer into the spec's
document (`/components/...`), or `URI#pointer` into another document. Other documents come
only from a `RemoteLoader` (the user's `--ref-map`/`x-sdkgen-ref-map`, and the JSON Schema
meta-schemas sdkgen ships): every reference the documents make is loaded and indexed before
anything is compiled, so what the compiler learns about dynamic anchors is complete. A
reference nothing maps is refused, located, saying how to map it.

`$dynamicRef` resolves like `$ref`, except that when its target carries the same
`$dynamicAnchor` it is replaced by the outermost schema resource of the dynamic scope that
declares that anchor. The compiler carries the scope as `Bindings`: for each dynamic
anchor name some `$dynamicRef` asks for, the schema the outermost resource entered so far
binds it to (outermost wins, so a binding never changes once made).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin

from generator.diagnostics import SpecError
from generator.emit.validators.literals import JsonValue
from generator.emit.validators.remote import RemoteLoader
from generator.emit.validators.vocabularies import declared, is_full
from generator.spec.pointers import escape_token, join_pointer, resolve_pointer
from generator.spec.ref_map import how_to_map
from generator.spec.schema_tree import subschemas

DEFAULT_BASE = "https://sdkgen.invalid/document.json"
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
OTHER_DRAFTS = re.compile(r"^https?://json-schema\.org/(draft-0\d|draft/2019-09)/")
# The dynamic scope as far as it matters: (anchor name, pointer of the schema it binds to), sorted.
Bindings = tuple[tuple[str, str], ...]


@dataclass
class References:
    document: JsonValue
    loader: RemoteLoader = field(default_factory=RemoteLoader)
    documents: dict[str, JsonValue] = field(default_factory=dict)  # retrieval URI -> other document
    bases: dict[str, str] = field(default_factory=dict)  # schema pointer -> base URI
    resources: dict[str, str] = field(default_factory=dict)  # URI (no fragment) -> pointer
    anchors: dict[str, str] = field(default_factory=dict)  # URI#anchor -> pointer
    dynamic_anchors: dict[str, dict[str, str]] = field(default_factory=dict)  # resource URI -> name -> pointer
    dynamic_names: set[str] = field(default_factory=set)  # anchor names some $dynamicRef asks for
    indexed: set[str] = field(default_factory=set)
    wanted: dict[str, None] = field(default_factory=dict)  # resource URIs referred to, in order
    dialects: dict[str, tuple[str, str]] = field(default_factory=dict)  # pointer -> ($schema URI, where it is)
    _vocabularies: dict[str, frozenset[str] | None] = field(default_factory=dict)  # dialect -> vocabularies

    def index_document(self) -> None:
        """Index the whole document, its root being the default base."""
        self.resources[DEFAULT_BASE] = ""
        self._index(self.document, "", DEFAULT_BASE)
        self._load_wanted()

    def schema_at(self, pointer: str) -> JsonValue:
        if pointer == "" or pointer.startswith("/"):
            return resolve_pointer(self.document, pointer)
        uri, _, fragment = pointer.partition("#")
        return resolve_pointer(self.documents[uri], fragment)

    def ensure_indexed(self, pointer: str) -> None:
        """A schema reached other than from the root (an entry, a $ref target) is indexed from there."""
        if pointer not in self.indexed:
            self._index(self.schema_at(pointer), pointer, DEFAULT_BASE)
            self._load_wanted()

    def resolve(self, ref: str, pointer: str, keyword: str = "$ref") -> str:
        """The location a `$ref` (found in the schema at `pointer`) designates."""
        at = join_pointer(pointer, keyword)
        uri = join_uri(self.bases.get(pointer, DEFAULT_BASE), ref)
        resource_uri, _, fragment = uri.partition("#")
        resource = self.resources.get(resource_uri)
        if resource is None:
            raise SpecError.at(
                f"{keyword} {ref!r} points outside this document ({resource_uri}) and no ref map covers it: "
                + how_to_map(resource_uri),
                pointer=at,
            )
        if fragment and not fragment.startswith("/"):
            target = self.anchors.get(f"{resource_uri}#{fragment}")
            if target is None:
                raise SpecError.at(f"{keyword} {ref!r}: no $anchor {fragment!r} in {resource_uri}", pointer=at)
            return target
        target = resource + "".join("/" + escape_token(token) for token in pointer_tokens(unquote(fragment)))
        try:
            self.schema_at(target)
        except KeyError:
            target = self._document_pointer(ref, resource) or target
            try:
                self.schema_at(target)
            except KeyError:
                raise SpecError.at(f"unresolvable {keyword} {ref!r}: nothing at {target or '/'}", pointer=at) from None
        self.ensure_indexed(target)
        return target

    def _document_pointer(self, ref: str, resource: str) -> str | None:
        """A `#/...` ref that the embedded resource holding it cannot resolve, read against the
        spec's document instead: how OpenAPI documents (and the bundler's local refs) mean it.
        A resolvable one keeps its JSON Schema meaning, so no verdict changes."""
        if not ref.startswith("#/") or not resource.startswith("/"):
            return None
        return "".join("/" + escape_token(token) for token in pointer_tokens(unquote(ref[1:])))

    def resolve_dynamic(self, ref: str, pointer: str, scope: Bindings) -> str:
        """Where a `$dynamicRef` leads under the dynamic scope `scope`."""
        initial = self.resolve(ref, pointer, "$dynamicRef")
        fragment = join_uri(self.bases.get(pointer, DEFAULT_BASE), ref).partition("#")[2]
        if not fragment or fragment.startswith("/"):
            return initial  # no anchor: exactly a $ref
        target = self.schema_at(initial)
        if not isinstance(target, dict) or target.get("$dynamicAnchor") != fragment:
            return initial  # the target does not bookend the dynamic anchor: exactly a $ref
        return dict(scope).get(fragment, initial)

    def enter(self, scope: Bindings, pointer: str) -> Bindings:
        """The scope once the resource holding the schema at `pointer` is entered."""
        declared = self.dynamic_anchors.get(self.bases.get(pointer, DEFAULT_BASE))
        if not declared:
            return scope
        bound = dict(scope)
        for name, target in declared.items():
            if name in self.dynamic_names and name not in bound:
                bound[name] = target
        return tuple(sorted(bound.items())) if len(bound) != len(scope) else scope

    def vocabularies_at(self, pointer: str) -> frozenset[str] | None:
        """The vocabularies in effect for the schema at `pointer` (None: all of them)."""
        found = self.dialects.get(pointer)
        if found is None or is_full(found[0]):
            return None
        dialect, at = found
        if OTHER_DRAFTS.match(dialect):
            raise SpecError.at(f"$schema {dialect!r}: only JSON Schema 2020-12 is supported", pointer=at)
        if dialect not in self._vocabularies:
            resource = self.resources.get(dialect.split("#", 1)[0])
            if resource is None:
                raise SpecError.at(
                    f"$schema {dialect!r}: its meta-schema is not in this document and no ref map covers it: "
                    + how_to_map(dialect.split("#", 1)[0]),
                    pointer=at,
                )
            self._vocabularies[dialect] = declared(self.schema_at(resource), dialect, at)
        return self._vocabularies[dialect]

    def _index(self, node: JsonValue, pointer: str, base: str, dialect: tuple[str, str] | None = None) -> None:
        """Record the base URI (and dialect) of every schema and the resources/anchors they declare."""
        if pointer in self.indexed:
            return
        self.indexed.add(pointer)
        if isinstance(node, dict) and isinstance(node.get("$schema"), str):
            dialect = (join_uri(base, node["$schema"]), join_pointer(pointer, "$schema"))
        if dialect is not None:
            self.dialects[pointer] = dialect
        if not isinstance(node, dict):
            self.bases[pointer] = base
            return
        declared = node.get("$id")
        if isinstance(declared, str):
            base = join_uri(base, declared).split("#", 1)[0]
            self.resources.setdefault(base, pointer)
        self.bases[pointer] = base
        for key in ("$anchor", "$dynamicAnchor"):
            anchor = node.get(key)
            if isinstance(anchor, str):
                self.anchors.setdefault(f"{base}#{anchor}", pointer)
        dynamic = node.get("$dynamicAnchor")
        if isinstance(dynamic, str):
            self.dynamic_anchors.setdefault(base, {}).setdefault(dynamic, pointer)
        for key in ("$ref", "$dynamicRef", "$schema"):
            ref = node.get(key)
            if isinstance(ref, str):
                uri = join_uri(base, ref)
                self.wanted.setdefault(uri.split("#", 1)[0], None)
                if key == "$dynamicRef" and "#" in uri and not uri.split("#", 1)[1].startswith("/"):
                    self.dynamic_names.add(uri.split("#", 1)[1])
        for sub, sub_pointer in subschemas(node, pointer):
            self._index(sub, sub_pointer, base, dialect)

    def _load_wanted(self) -> None:
        """Load and index every other document referred to that the loader can provide."""
        done: set[str] = set()
        while True:
            pending = [uri for uri in self.wanted if uri not in self.resources and uri not in done]
            if not pending:
                return
            for uri in pending:
                done.add(uri)
                found = self.loader.load(uri)
                if found is None:
                    continue
                self.documents[uri] = found
                root = uri + "#"
                self.resources[uri] = root
                self._index(found, root, uri)


def pointer_tokens(pointer: str) -> list[str]:
    """The tokens of a JSON pointer (of its fragment, for a location in another document)."""
    if pointer and not pointer.startswith("/"):
        pointer = pointer.partition("#")[2]
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def join_uri(base: str, ref: str) -> str:
    if _URI_SCHEME.match(ref):
        return ref
    if ref.startswith("#"):
        return base.split("#", 1)[0] + ref
    return urljoin(base, ref)
