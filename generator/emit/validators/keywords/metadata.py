"""Keywords that check nothing: documentation (`title`, `example`, ...) and the
identifiers that name schemas and resources (`$id`, `$anchor`, `$defs`, ...), which the
reference index reads. A `$ref` beside documentation only is followed directly; beside an
identifier, the schema is compiled as written."""

from __future__ import annotations

from generator.emit.validators.keywords.base import Keyword

DOCUMENTATION = (
    "title",
    "description",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "xml",
    "externalDocs",
)
IDENTIFIERS = ("$schema", "$id", "$anchor", "$dynamicAnchor", "$vocabulary", "$defs", "definitions")

KEYWORDS = (
    *(Keyword(name, "annotation") for name in DOCUMENTATION),
    *(Keyword(name, "identifier") for name in IDENTIFIERS),
)
