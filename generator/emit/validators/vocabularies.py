"""Vocabularies: which keywords a schema's dialect makes assert.

A schema resource's `$schema` names its meta-schema; the meta-schema's `$vocabulary` lists
the vocabularies in effect (`true`: required, `false`: optional). Keywords of a known
vocabulary the dialect leaves out are not keywords there at all (ignored, like any unknown
annotation), so `minimum` under a dialect without the validation vocabulary checks nothing.
The format-assertion vocabulary makes `format` assert, as `--assert-formats` does. A
required vocabulary sdkgen does not know is refused, located at the `$schema`; an optional
one is ignored. Without `$schema`, or naming JSON Schema 2020-12 itself or OpenAPI 3.1's or
3.2's dialects (2020-12 plus OpenAPI's own keywords), every vocabulary is in effect.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.diagnostics import SpecError
from generator.emit.validators.literals import JsonValue

_VOCAB = "https://json-schema.org/draft/2020-12/vocab/"
CORE = _VOCAB + "core"
FORMAT_ASSERTION = _VOCAB + "format-assertion"
OPENAPI = "https://spec.openapis.org/oas/3.1/vocab/base"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# vocabulary -> its keywords (JSON Schema 2020-12 core and validation specifications, OpenAPI 3.1).
KEYWORDS: dict[str, frozenset[str]] = {
    CORE: _words("$id $schema $ref $anchor $dynamicRef $dynamicAnchor $vocabulary $comment $defs"),
    _VOCAB + "applicator": _words(
        "prefixItems items contains additionalProperties properties patternProperties dependentSchemas "
        "propertyNames if then else allOf anyOf oneOf not"
    ),
    _VOCAB + "unevaluated": _words("unevaluatedItems unevaluatedProperties"),
    _VOCAB + "validation": _words(
        "type const enum multipleOf maximum exclusiveMaximum minimum exclusiveMinimum maxLength minLength "
        "pattern maxItems minItems uniqueItems maxContains minContains maxProperties minProperties required "
        "dependentRequired"
    ),
    _VOCAB + "meta-data": _words("title description default deprecated readOnly writeOnly examples"),
    _VOCAB + "format-annotation": _words("format"),
    FORMAT_ASSERTION: _words("format"),
    _VOCAB + "content": _words("contentEncoding contentMediaType contentSchema"),
    OPENAPI: _words("discriminator xml externalDocs example"),
}
# Dialects whose meta-schema need not be read: every vocabulary is in effect.
FULL_DIALECTS = frozenset(
    ("https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft/2020-12/schema")
)
_FULL_PREFIXES = ("https://spec.openapis.org/oas/3.1/dialect/", "https://spec.openapis.org/oas/3.2/dialect/")


def is_full(dialect: str) -> bool:
    uri = dialect.rstrip("#")
    return uri in FULL_DIALECTS or uri.startswith(_FULL_PREFIXES)


def declared(metaschema: JsonValue, dialect: str, at: str) -> frozenset[str] | None:
    """The vocabularies a meta-schema declares (None: it declares none, so all are in effect);
    a required one sdkgen does not know is refused at `at` (the `$schema` naming it)."""
    vocabulary = metaschema.get("$vocabulary") if isinstance(metaschema, Mapping) else None
    if vocabulary is None:
        return None
    if not isinstance(vocabulary, Mapping):
        raise SpecError.at(f"$schema {dialect!r}: its meta-schema's $vocabulary must be an object", pointer=at)
    unknown = sorted(uri for uri, required in vocabulary.items() if required is True and uri not in KEYWORDS)
    if unknown:
        raise SpecError.at(
            f"$schema {dialect!r}: its meta-schema requires the vocabulary {unknown[0]}, which sdkgen does not know "
            f"(it checks {', '.join(uri.rsplit('/', 1)[-1] for uri in KEYWORDS)})",
            pointer=at,
        )
    return frozenset(uri for uri in vocabulary if uri in KEYWORDS)


def inactive(vocabularies: frozenset[str]) -> frozenset[str]:
    """The keywords of known vocabularies left out (a keyword two vocabularies share stays if either is in)."""
    kept = {keyword for uri in vocabularies for keyword in KEYWORDS[uri]}
    return frozenset(keyword for words in KEYWORDS.values() for keyword in words if keyword not in kept)
