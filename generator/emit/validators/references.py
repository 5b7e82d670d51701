"""Where a `$ref` leads.

JSON Schema resolves a reference against the base URI of the schema holding it, which
`$id`s along the way change, and its fragment may be a JSON pointer or an `$anchor`. The
index below records the base URI of every schema and the resources and anchors the
document declares, so any `$ref` turns into a pointer into this one document. References
to other documents are refused: sdkgen compiles one self-contained spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin

from generator.diagnostics import SpecError
from generator.emit.validators.literals import JsonValue
from generator.spec.pointers import escape_token, join_pointer, resolve_pointer
from generator.spec.schema_tree import subschemas

DEFAULT_BASE = "https://sdkgen.invalid/document.json"
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class References:
    document: JsonValue
    bases: dict[str, str] = field(default_factory=dict)  # schema pointer -> base URI
    resources: dict[str, str] = field(default_factory=dict)  # URI (no fragment) -> pointer
    anchors: dict[str, str] = field(default_factory=dict)  # URI#anchor -> pointer
    indexed: set[str] = field(default_factory=set)

    def index_document(self) -> None:
        """Index the whole document, its root being the default base."""
        self.resources[DEFAULT_BASE] = ""
        self._index(self.document, "", DEFAULT_BASE)

    def schema_at(self, pointer: str) -> JsonValue:
        return resolve_pointer(self.document, pointer)

    def ensure_indexed(self, pointer: str) -> None:
        """A schema reached other than from the root (an entry, a $ref target) is indexed from there."""
        if pointer not in self.indexed:
            self._index(self.schema_at(pointer), pointer, DEFAULT_BASE)

    def resolve(self, ref: str, pointer: str) -> str:
        """The document pointer a `$ref` (found in the schema at `pointer`) designates."""
        at = join_pointer(pointer, "$ref")
        uri = join_uri(self.bases.get(pointer, DEFAULT_BASE), ref)
        resource_uri, _, fragment = uri.partition("#")
        resource = self.resources.get(resource_uri)
        if resource is None:
            raise SpecError.at(
                f"$ref {ref!r} points outside this document ({resource_uri}); remote references are not supported",
                pointer=at,
            )
        if fragment and not fragment.startswith("/"):
            target = self.anchors.get(f"{resource_uri}#{fragment}")
            if target is None:
                raise SpecError.at(f"$ref {ref!r}: no $anchor {fragment!r} in {resource_uri}", pointer=at)
            return target
        target = resource + "".join("/" + escape_token(token) for token in pointer_tokens(unquote(fragment)))
        try:
            self.schema_at(target)
        except KeyError:
            raise SpecError.at(f"unresolvable $ref {ref!r}: nothing at {target or '/'}", pointer=at) from None
        self.ensure_indexed(target)
        return target

    def _index(self, node: JsonValue, pointer: str, base: str) -> None:
        """Record the base URI of every schema and the resources/anchors they declare."""
        if pointer in self.indexed:
            return
        self.indexed.add(pointer)
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
        for sub, sub_pointer in subschemas(node, pointer):
            self._index(sub, sub_pointer, base)


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def join_uri(base: str, ref: str) -> str:
    if _URI_SCHEME.match(ref):
        return ref
    if ref.startswith("#"):
        return base.split("#", 1)[0] + ref
    return urljoin(base, ref)
