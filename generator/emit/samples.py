"""A made-up instance of a schema, for the README's examples and the mock answers they run against.

When the spec gives no example (or one its own schema refuses), the README still shows a call
that works: a value built from the schema, with its required members, a value of each enum,
format, bound, length and pattern, and the branch of a `oneOf` its discriminator names. A
`Sampler` makes a value in one pass, choosing among `oneOf`/`anyOf` branches with a check of
the branch alone (`generator.adapters.jsonschema_values`); the caller checks the whole value
with the package's own validators (which also know `x-rules`) and asks for variants
(`Variant`) until one passes. Request bodies leave out `readOnly` members, responses
`writeOnly` ones (a `required` naming them holds in the other direction only).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from generator.adapters.jsonschema_values import ValueChecker
from generator.emit.generics import specialized_document
from generator.emit.pattern_samples import pattern_sample
from generator.spec.pointers import JsonValue, resolve_pointer

Direction = Literal["request", "response"]

# How deep a sample nests before it takes only what it must (recursive schemas).
MAX_DEPTH = 8

# A value of each format a README reader recognises; each valid for the format's checks.
FORMAT_SAMPLES: dict[str, str] = {
    "date": "2025-01-15",
    "date-time": "2025-01-15T09:30:00Z",
    "date-time-local": "2025-01-15T09:30:00",
    "time": "09:30:00Z",
    "duration": "P1D",
    "uuid": "3f2c1a4e-8b7d-4c2e-9a1f-0b6d5e4c3a21",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com",
    "iri": "https://example.com",
    "url": "https://example.com",
    "uri-reference": "https://example.com/path",
    "iri-reference": "https://example.com/path",
    "uri-template": "https://example.com/{id}",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "ZXhhbXBsZQ==",
    "password": "correct-horse-battery",
    "json-pointer": "/example",
    "relative-json-pointer": "0/example",
    "regex": "^example$",
    "decimal": "1.5",
    "binary": "example",
}


@dataclass(frozen=True, slots=True)
class Variant:
    """How a sample is made: each variant is tried in turn until the validators accept one."""

    examples: bool = True  # use the schema's own `example`/`default` values where it has them
    optional: bool = False  # fill in optional members too (a rule may need them)
    files: bool = False  # `format: binary` strings as bytes (a multipart body's file parts)


VARIANTS = (Variant(), Variant(examples=False), Variant(optional=True), Variant(examples=False, optional=True))


class Sampler:
    """Values of the schemas of one (bundled, 2020-12) document."""

    def __init__(self, document: JsonValue, direction: Direction, variant: Variant = Variant()) -> None:
        self.document = specialized_document(document)  # generic containers made concrete
        self.direction = direction
        self.variant = variant
        self._checker: ValueChecker | None = None

    def valid(self, schema: JsonValue, value: JsonValue) -> bool:
        if self._checker is None:
            self._checker = ValueChecker(self.document)
        return self._checker.problem(schema, value) is None

    def sample(self, schema: JsonValue, depth: int = 0) -> JsonValue:
        """A value the schema accepts, as far as this one pass can tell (None when it knows none)."""
        if schema is True or not isinstance(schema, dict):
            return "example" if schema is True else None
        if depth > MAX_DEPTH * 2:
            return None
        if self.variant.examples:
            for key in ("example", "default"):
                value = schema.get(key)
                if value is not None and self.valid(schema, value):
                    return value
            examples = schema.get("examples")
            if isinstance(examples, list) and examples and self.valid(schema, examples[0]):
                return examples[0]
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((value for value in enum if value is not None), None)
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self._target(ref)
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            if not _constraining(siblings):
                return self.sample(target, depth + 1)
            return self._all_of([target, siblings], depth)
        if isinstance(schema.get("allOf"), list):
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            return self._all_of([*schema["allOf"], rest], depth)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list):
                return self._one_of(schema, keyword, depth)
        kind = _kind(schema)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind == "string":
            return self._string(schema)
        if kind in ("integer", "number"):
            return _number(schema, kind)
        if kind == "boolean":
            return True
        return None

    # ------------------------------------------------------------------ applicators

    def _target(self, ref: str) -> JsonValue:
        if not ref.startswith("#"):
            return {}
        try:
            return resolve_pointer(self.document, ref[1:])
        except KeyError:
            return {}

    def _all_of(self, parts: list[JsonValue], depth: int) -> JsonValue:
        """Every part's sample merged: a member a part pins (an `enum` or `const`: a branch's tag)
        wins over another part's free one, else later parts win."""
        merged: JsonValue = None
        pinned: set[str] = set()
        for part in parts:
            if not _constraining(part):
                continue
            value = self.sample(part, depth + 1)
            if isinstance(merged, dict) and isinstance(value, dict):
                properties = self._properties(part, 0)
                mine = {name for name in value if _pins(self._resolved(properties.get(name)))}
                merged = {**merged, **{k: v for k, v in value.items() if k not in pinned or k in mine}}
                pinned |= mine
            elif value is not None or merged is None:
                merged = value
                if isinstance(value, dict):
                    properties = self._properties(part, 0)
                    pinned = {name for name in value if _pins(self._resolved(properties.get(name)))}
        return merged

    def _resolved(self, schema: JsonValue) -> JsonValue:
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and len(schema) == 1:
            schema = self._target(schema["$ref"])
        return schema

    def _one_of(self, schema: dict[str, JsonValue], keyword: str, depth: int) -> JsonValue:
        """The first branch whose sample the whole schema accepts (the discriminator's first, when named)."""
        branches = [branch for branch in schema[keyword] if not _is_null(branch)]
        discriminator = schema.get("discriminator")
        tagged: list[tuple[JsonValue, str, str]] = []
        if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
            mapping = discriminator.get("mapping")
            for value, ref in (mapping or {}).items() if isinstance(mapping, dict) else ():
                tagged.append(({"$ref": ref}, discriminator["propertyName"], str(value)))
        candidates: list[JsonValue] = []
        for branch, name, value in tagged:
            sample = self.sample(branch, depth + 1)
            if isinstance(sample, dict):
                candidates.append({**sample, name: value})
        candidates.extend(self.sample(branch, depth + 1) for branch in branches or schema[keyword])
        rest = {k: v for k, v in schema.items() if k not in (keyword, "discriminator")}
        whole = {keyword: schema[keyword], **rest}
        for candidate in candidates:
            if candidate is not None and self.valid(whole, candidate):
                return candidate
        if keyword == "oneOf":
            for candidate in candidates:
                if isinstance(candidate, dict):
                    told = self._told_apart(schema[keyword], candidate)
                    if told is not None and self.valid(whole, told):
                        return told
        return next((candidate for candidate in candidates if candidate is not None), None)

    def _told_apart(self, branches: list[JsonValue], value: dict[str, JsonValue]) -> dict[str, JsonValue] | None:
        """`value` with members that only the first branch it matches allows, so that exactly one
        `oneOf` branch matches: a discriminator names a branch, but JSON Schema's `oneOf` (what the
        validators check) needs the others to fail, and branches that leave their members open
        (no `additionalProperties: false`, a discriminator property of any string) all match."""
        matching = [branch for branch in branches if self.valid(branch, value)]
        if not matching:
            return None
        kept, others = matching[0], matching[1:]
        for other in others:
            for name, sub in self._properties(other, 0).items():
                if name in value:
                    continue
                for spoiler in _SPOILERS:
                    if self.valid(sub, spoiler):
                        continue
                    trial = {**value, name: spoiler}
                    if self.valid(kept, trial) and not self.valid(other, trial):
                        value = trial
                        break
                if not self.valid(other, value):
                    break
        return value

    def _properties(self, schema: JsonValue, depth: int) -> dict[str, JsonValue]:
        """The properties a schema declares, through its `$ref` and `allOf`."""
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return {}
        found: dict[str, JsonValue] = {}
        if isinstance(schema.get("$ref"), str):
            found.update(self._properties(self._target(schema["$ref"]), depth + 1))
        for part in schema.get("allOf") or []:
            found.update(self._properties(part, depth + 1))
        if isinstance(schema.get("properties"), dict):
            found.update(schema["properties"])
        return found

    # ------------------------------------------------------------------ types

    def _object(self, schema: dict[str, JsonValue], depth: int) -> JsonValue:
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        assert isinstance(properties, dict)
        required = [name for name in schema.get("required") or [] if isinstance(name, str)]
        wanted = list(dict.fromkeys(required))
        least = schema.get("minProperties") if isinstance(schema.get("minProperties"), int) else 0
        assert isinstance(least, int)
        for name, sub in properties.items():
            if name in wanted:
                continue
            more = (self.variant.optional and depth < MAX_DEPTH) or len(wanted) < least
            if more and not self._hidden(sub):
                wanted.append(name)
        # A request leaves out what the server sets, a response what only requests carry,
        # required or not (`required` holds in the other direction only).
        wanted = [name for name in wanted if not self._hidden(properties.get(name))]
        result: dict[str, JsonValue] = {}
        for name in wanted:
            sub = properties.get(name, schema.get("additionalProperties", True))
            if depth >= MAX_DEPTH and name not in required:
                continue
            value = self.sample(sub, depth + 1)
            if value is None and not self._allows_null(sub):
                if name not in required:
                    continue
                value = "example"
            result[name] = value
        dependent = schema.get("dependentRequired")
        if isinstance(dependent, dict):
            for name, needs in dependent.items():
                if name in result and isinstance(needs, list):
                    for need in needs:
                        if isinstance(need, str) and need not in result:
                            result[need] = self.sample(properties.get(need, True), depth + 1)
        extra = schema.get("additionalProperties")
        while len(result) < least and isinstance(extra, dict):
            result[f"key{len(result) + 1}"] = self.sample(extra, depth + 1)
        return result

    def _hidden(self, schema: JsonValue) -> bool:
        """A member this direction leaves out: readOnly in a request, writeOnly in a response."""
        node = schema
        if isinstance(node, dict) and isinstance(node.get("$ref"), str) and len(node) == 1:
            node = self._target(node["$ref"])
        if not isinstance(node, dict):
            return False
        return bool(node.get("readOnly" if self.direction == "request" else "writeOnly"))

    def _allows_null(self, schema: JsonValue) -> bool:
        return self.valid(schema, None)

    def _array(self, schema: dict[str, JsonValue], depth: int) -> JsonValue:
        prefix = schema.get("prefixItems")
        result: list[JsonValue] = []
        if isinstance(prefix, list):
            result = [self.sample(item, depth + 1) for item in prefix]
        items = schema.get("items")
        least = schema.get("minItems") if isinstance(schema.get("minItems"), int) else 0
        most = schema.get("maxItems") if isinstance(schema.get("maxItems"), int) else None
        assert isinstance(least, int)
        wanted = max(least, len(result) if prefix else 1)
        if most is not None:
            wanted = min(wanted, most)
        if items is not False and (items is not None or not prefix):
            while len(result) < wanted:
                item = self.sample(items if items is not None else True, depth + 1)
                if schema.get("uniqueItems") is True and item in result:
                    item = _varied(item, len(result))
                result.append(item)
        contains = schema.get("contains")
        if isinstance(contains, dict) and not any(self.valid(contains, item) for item in result):
            result.append(self.sample(contains, depth + 1))
        return result

    def _string(self, schema: dict[str, JsonValue]) -> JsonValue:
        fmt = schema.get("format")
        if fmt == "binary" and self.variant.files:
            return b"example"
        least = schema.get("minLength") if isinstance(schema.get("minLength"), int) else 0
        most = schema.get("maxLength") if isinstance(schema.get("maxLength"), int) else None
        assert isinstance(least, int) and (most is None or isinstance(most, int))
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            text = pattern_sample(pattern, least, most)
            if text is not None:
                return text
        text = FORMAT_SAMPLES.get(str(fmt), "example")
        if len(text) < least:
            text += "x" * (least - len(text))
        if most is not None and len(text) > most:
            text = text[:most] if fmt is None or fmt not in FORMAT_SAMPLES else "x" * most
        return text


def _kind(schema: dict[str, JsonValue]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return str(kinds[0]) if kinds else ("null" if kind else None)
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if any(key in schema for key in ("minLength", "maxLength", "pattern", "format")):
        return "string"
    if any(key in schema for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
        return "number"
    return None


def _pins(schema: JsonValue) -> bool:
    """Whether a member's schema allows only listed values (an `enum` or a `const`)."""
    return isinstance(schema, dict) and ("const" in schema or isinstance(schema.get("enum"), list))


def _is_null(schema: JsonValue) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("enum") == [None])


# Keywords that say nothing about which values a schema accepts.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment"}
)


# Values of different JSON types, to find one a branch's member refuses (`Sampler._told_apart`).
_SPOILERS: tuple[JsonValue, ...] = (12345, "example", True, [], {})


def _constraining(schema: JsonValue) -> bool:
    return not isinstance(schema, dict) or any(k not in _ANNOTATIONS and not k.startswith("x-") for k in schema)


def _varied(item: JsonValue, index: int) -> JsonValue:
    """Another value like `item`, for an array whose items must differ."""
    if isinstance(item, str):
        return f"{item}{index}"
    if isinstance(item, int | float) and not isinstance(item, bool):
        return item + index
    return item


def _bound(schema: dict[str, JsonValue], key: str) -> Fraction | None:
    value = schema.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Fraction(Decimal(str(value)))


def _number(schema: dict[str, JsonValue], kind: str) -> int | float:
    """The number nearest the usual sample (1, or 1.5) that the bounds and multipleOf allow."""
    low, low_open = _bound(schema, "minimum"), False
    exclusive = _bound(schema, "exclusiveMinimum")
    if exclusive is not None and (low is None or exclusive >= low):
        low, low_open = exclusive, True
    high, high_open = _bound(schema, "maximum"), False
    exclusive = _bound(schema, "exclusiveMaximum")
    if exclusive is not None and (high is None or exclusive <= high):
        high, high_open = exclusive, True
    step = _bound(schema, "multipleOf")
    if kind == "integer":
        step = Fraction(1) if step is None else step * step.denominator
    value = Fraction(1) if step is not None else Fraction(3, 2)
    nudge = step or Fraction(1)
    if low is not None and (value < low or (low_open and value == low)):
        value = low + nudge if low_open else low
    if high is not None and (value > high or (high_open and value == high)):
        value = high - nudge if high_open else high
        if low is not None and (value < low or (low_open and value == low)):
            value = (low + high) / 2
    if step is not None:
        above = -(-value // step) * step  # the first multiple at or above
        value = above if high is None or above < high or (above == high and not high_open) else (value // step) * step
    if kind == "integer" or value.denominator == 1:
        return int(value)
    return float(value)
