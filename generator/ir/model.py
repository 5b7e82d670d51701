"""The intermediate representation: plain, typed, immutable dataclasses.

Built once from a loaded spec by `generator.ir.parse`; everything after (models, validators,
client, templates) reads these and never the raw spec. Schemas keep their JSON Schema
body (`Schema.body`) because JSON Schema *is* their meaning: the model and validator
compilers consume it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from generator.ir.media import MediaKind

JsonValue = Any

ParameterLocation = Literal["path", "query", "header", "cookie"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A cross-field rule JSON Schema cannot state (`x-rules`), as a CEL expression.

    Follows Kubernetes' `x-kubernetes-validations` (`rule`, `message`, `fieldPath`,
    `reason`) plus an `id` and a `severity`; `self` is the object the rule sits on.
    """

    id: str
    expression: str
    message: str
    severity: Severity
    field_path: str | None
    reason: str | None
    pointer: str  # of the rule in the bundled document, for located errors


@dataclass(frozen=True, slots=True)
class Schema:
    """A named schema: a component, or a request/response body hoisted to a name."""

    name: str  # as written in the spec (components/schemas/<name>)
    python_name: str  # snake_case: validate_<python_name>
    class_name: str  # the pydantic model's class name
    pointer: str  # "/components/schemas/<name>" in the bundled document
    body: JsonValue  # the JSON Schema (every $ref local)
    description: str | None
    rules: tuple[Rule, ...]
    synthetic: bool = False  # hoisted from an inline body, not a component of the spec
    origin: str | None = None  # synthetic: where the inline schema is written (a pointer)


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str  # wire name
    python_name: str
    location: ParameterLocation
    required: bool
    schema: JsonValue
    python_type: str  # annotation for the method signature
    description: str | None
    style: str
    explode: bool
    deprecated: bool
    example: JsonValue
    pointer: str
    declared_schema: JsonValue = None  # the schema as written: a `$ref` to a component stays one
    allow_reserved: bool = False  # a query value's reserved characters are sent unencoded
    media_type: str | None = None  # declared with `content`: sent as this media type (JSON: compact JSON text)
    schema_pointer: str = ""  # where the schema is: `<pointer>/schema`, or the `content` media type's


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    summary: str | None
    value: JsonValue


@dataclass(frozen=True, slots=True)
class RequestBody:
    content_type: str
    required: bool
    schema_name: str | None  # the Schema the body must match (None: any JSON, or a raw body)
    description: str | None
    examples: tuple[Example, ...]
    kind: MediaKind = "json"  # of content_type; text, binary and event-stream bodies are sent as they are


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX" or "default"
    description: str
    content_type: str | None  # the media type the client reads: the JSON one when there is one
    schema_name: str | None  # JSON: the body's schema; text/event-stream: one event's data; json-sequence: one record
    kind: MediaKind | None = None  # of content_type (generator.ir.media); None: no content


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    key: str  # name under components/securitySchemes
    kind: Literal["apiKey", "http"]
    location: ParameterLocation  # where the credential travels
    parameter_name: str  # header/query/cookie name
    http_scheme: str | None  # "bearer" or "basic" for kind == "http"
    description: str | None


PaginationStyle = Literal["cursor", "offset", "page", "next-url", "link-header"]


@dataclass(frozen=True, slots=True)
class Pagination:
    """How an operation pages through a list (`x-sdkgen-pagination`), see generator.ir.pagination."""

    style: PaginationStyle
    items: str  # JSON pointer to the array of items in the response body ("": the body itself)
    item_schema_name: str | None  # the model of one item; None: items are plain JSON values
    item_type: str  # the annotation of one item when it has no model ("Any", "str", ...)
    pointer: str  # of the extension in the bundled document
    cursor_param: str | None = None  # cursor: the query parameter taking the next cursor
    next_cursor: str | None = None  # cursor: pointer to the next cursor in the body
    offset_param: str | None = None  # offset: the query parameter of the first item's index
    limit_param: str | None = None  # offset, page: the query parameter of the page size
    page_param: str | None = None  # page: the query parameter of the page number
    next_url: str | None = None  # next-url: pointer to the next page's URL in the body
    has_more: str | None = None  # pointer to a boolean saying whether another page follows


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    python_name: str
    method: str  # lower case
    path: str
    summary: str | None
    description: str | None
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]  # alternatives, each a set of scheme keys
    pointer: str
    pagination: Pagination | None = None


@dataclass(frozen=True, slots=True)
class Webhook:
    """An entry of the spec's `webhooks`: a request the API sends to its user's server."""

    name: str  # the key under `webhooks`
    python_name: str  # snake_case: `webhooks.parse_<python_name>`
    method: str  # lower case
    summary: str | None
    description: str | None
    body: RequestBody | None
    pointer: str


@dataclass(frozen=True, slots=True)
class ServerVariable:
    name: str
    python_name: str
    default: str
    enum: tuple[str, ...]
    description: str | None


@dataclass(frozen=True, slots=True)
class Server:
    url: str
    description: str | None
    variables: tuple[ServerVariable, ...]


@dataclass(frozen=True, slots=True)
class SkippedOperation:
    """An operation `--lenient` left out of the package, and why (the package's README lists them)."""

    method: str
    path: str
    operation_id: str | None
    reason: str  # the located diagnostic that made it ungeneratable


@dataclass(frozen=True, slots=True)
class Api:
    """Everything the renderers need to emit one package."""

    package: str
    title: str
    version: str
    description: str | None
    openapi_version: str
    spec_file: str  # the spec's file name, for headers and messages
    spec_sha256: str
    servers: tuple[Server, ...]
    schemas: tuple[Schema, ...]
    operations: tuple[Operation, ...]
    security_schemes: tuple[SecurityScheme, ...]
    document: JsonValue  # the bundled document with bodies hoisted: the input of the model and validator compilers
    skipped_operations: tuple[SkippedOperation, ...] = ()  # left out by --lenient
    webhooks: tuple[Webhook, ...] = ()
    # `schema`'s index by name, made on its first call: the emitters ask it several times per
    # operation, and a search of a thousand schemas each time added up. (Not a field of the
    # IR proper: `dataclasses.replace` starts a new, empty one.)
    _by_name: dict[str, Schema] = field(default_factory=dict, init=False, repr=False, compare=False)

    def schema(self, name: str) -> Schema:
        index = self._by_name
        if not index and self.schemas:
            for schema in self.schemas:
                index.setdefault(schema.name, schema)
        return index[name]

    def source_pointer(self, pointer: str) -> str:
        """Where the value at `pointer` of `document` is written: a pointer into a hoisted schema
        (`/components/schemas/<Operation>Body/...`) leads to the inline schema it was hoisted from."""
        for schema in self.schemas:
            if schema.origin is not None and (pointer == schema.pointer or pointer.startswith(schema.pointer + "/")):
                return schema.origin + pointer[len(schema.pointer) :]
        return pointer
