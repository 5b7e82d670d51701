"""Schema resources embedded in a document: what a `$ref` means once `$id`s set its base URI.

JSON Schema 2020-12 (and so OpenAPI 3.1) resolves a schema's `$ref` against the base URI
of the schema holding it: the document's own URI, changed by every enclosing `$id`. A
generic container written the 3.1 way (`UserPage: {$id: .../user-page, $ref: page}`)
names its target by the `$id` of another component (`$id: .../page`) in the same file, and
`$ref: https://example.com/schemas/user-page` names a resource embedded in it: neither is
a sibling file nor a remote to fetch. The bundler asks this index first, so such a target
becomes a plain local pointer like any other.

Only documents that declare an `$id` or an anchor are indexed (a byte search decides), so
the common spec pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin

from generator.spec.pointers import JsonValue, escape_token, split_pointer
from generator.spec.schema_tree import schema_roots, subschemas

_MARKERS = (b"$id", b"$anchor", b"$dynamicAnchor")


def declares_resources(raw: bytes) -> bool:
    """Whether a file's bytes may declare an `$id` or an anchor (else its index is empty)."""
    return any(marker in raw for marker in _MARKERS)


def join_uri(base: str, ref: str) -> str:
    """`ref` resolved against `base` (RFC 3986), keeping an empty fragment out of the result."""
    joined = urljoin(base, ref) if base else ref
    return joined[:-1] if joined.endswith("#") else joined


@dataclass
class Resources:
    """The resources and anchors of one document, and the base URI each `$id` sets."""

    uri: str  # the document's own URI: the base of every schema no `$id` encloses
    resources: dict[str, str] = field(default_factory=dict)  # resource URI (no fragment) -> pointer
    anchors: dict[str, str] = field(default_factory=dict)  # URI#name ($anchor, $dynamicAnchor) -> pointer
    id_bases: dict[str, str] = field(default_factory=dict)  # pointer of a schema with `$id` -> its URI

    def base_at(self, pointer: str) -> str:
        """The base URI in effect at `pointer`: that of the innermost enclosing `$id`."""
        probe = pointer
        while probe:
            found = self.id_bases.get(probe)
            if found is not None:
                return found
            probe = probe.rsplit("/", 1)[0]
        return self.id_bases.get("", self.uri)

    def locate(self, uri: str) -> str | None:
        """The pointer an absolute URI (with its fragment) designates in this document, if any.

        None when its resource is not declared here; KeyError when the resource is, but the
        fragment names no anchor of it.
        """
        resource, _, fragment = uri.partition("#")
        start = self.resources.get(resource)
        if start is None:
            return None
        if fragment and not fragment.startswith("/"):
            return self.anchors[f"{resource}#{fragment}"]
        return start + "".join("/" + escape_token(token) for token in split_pointer(unquote(fragment)))


def index_resources(data: JsonValue, uri: str) -> Resources:
    """Every schema resource (`$id`) and anchor the schemas of an OpenAPI or schema document declare."""
    index = Resources(uri)
    index.resources[uri] = ""
    if _is_openapi(data):
        for schema, pointer in schema_roots(data):
            _index(index, schema, pointer, uri)
    else:  # a schema file (a mapped remote, a sibling holding one schema)
        _index(index, data, "", uri)
    return index


def _is_openapi(data: JsonValue) -> bool:
    return isinstance(data, dict) and any(key in data for key in ("openapi", "paths", "components", "webhooks"))


def _index(index: Resources, schema: JsonValue, pointer: str, base: str) -> None:
    for node, at, node_base in _walk(schema, pointer, base):
        declared = node.get("$id")
        if isinstance(declared, str):
            index.resources.setdefault(node_base, at)
            index.id_bases[at] = node_base
        for key in ("$anchor", "$dynamicAnchor"):
            anchor = node.get(key)
            if isinstance(anchor, str):
                index.anchors.setdefault(f"{node_base}#{anchor}", at)


def _walk(schema: JsonValue, pointer: str, base: str) -> Iterator[tuple[dict[str, JsonValue], str, str]]:
    """Every object schema below `schema` with its pointer and base URI."""
    stack = [(schema, pointer, base)]
    while stack:
        node, at, outer = stack.pop()
        if not isinstance(node, dict):
            continue
        declared = node.get("$id")
        here = join_uri(outer, declared).split("#", 1)[0] if isinstance(declared, str) else outer
        yield node, at, here
        stack.extend(reversed([(sub, sub_at, here) for sub, sub_at in subschemas(node, at)]))
