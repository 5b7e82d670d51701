# Over 600 lines: the client view's decisions in one place (the views, then how each is built).
"""Client emitter's view: every decision the generated `client.py` and README make (the runtime is fixed code).

The templates only lay out code; this module decides it and hands them plain view
objects: method signatures and argument annotations, which compiled check each parameter
location and the server variables go to (named by `generator.emit.validators.requests`), how
each parameter travels, which model each response status parses into, which error model each
error status parses into, where credentials go, the base URL and its variables, the
retry policy of each operation, and what the client module imports (from the IR and the
view's own data, never from the code the templates write).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from generator import __version__
from generator.diagnostics import SpecError
from generator.emit import EmitOptions, Files, export_order
from generator.emit.responses import NO_BODY, PaginationView, Target, pagination_view, parsed, response_target
from generator.emit.runtime import (
    RETRY_STATUSES,
    RUNTIME_PUBLIC_NAMES,
    UNPROCESSED_STATUSES,
    is_placeholder_host,
)
from generator.emit.signatures import (
    branch_models,
    docstring,
    param_annotation,
    param_default,
    raises_lines,
    stdlib_imports,
)
from generator.emit.templates import header, render
from generator.emit.validators.requests import (
    RequestCheck,
    client_server_variables,
    operation_checks,
    request_checks,
    server_check,
    whole_url_variable,
)
from generator.emit.wire_types import WireTypes, read_only_members, wire_types
from generator.ir import Api, Operation, Parameter, SecurityScheme, Server
from generator.ir.media import media_kind, media_type
from generator.spec.styles import default_style

if TYPE_CHECKING:  # the examples, with the sampler and validators they use, load only when asked for
    from generator.emit.examples import Checks, ExampleView

CLIENT_EXPORTS = (
    "Client",
    "AsyncClient",
    "ClientWithRawResponse",
    "AsyncClientWithRawResponse",
    "ClientWithStreamingResponse",
    "AsyncClientWithStreamingResponse",
    *RUNTIME_PUBLIC_NAMES,
)
"""What `client.py` exports (and the package re-exports)."""


def emit(api: Api, options: EmitOptions) -> Files:
    """`client.py`."""
    source = render(
        "package/client.py.jinja",
        header=header(api),
        view=client_view(api, with_examples=False),
        runtime_imports=RUNTIME_PUBLIC_NAMES,
        all_names=sorted(CLIENT_EXPORTS, key=export_order),
    )
    return {"client.py": source}


# Methods whose repetition has the effect of one call (RFC 9110 section 9.2.2): always retried.
IDEMPOTENT_METHODS = frozenset({"get", "head", "options", "put", "delete", "trace"})
# Headers redacted in logs whatever the spec says.
ALWAYS_SECRET_HEADERS = ("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key")

# Attributes of the client classes: an operation method may not take these names.
CLIENT_ATTRIBUTES = frozenset(
    {
        "close",
        "aclose",
        "with_options",
        "with_raw_response",
        "with_streaming_response",
        "base_url",
        "timeout",
        "max_retries",
        "strict_responses",
    }
)

# Where a parameter travels as a method argument (cookie parameters included).
PARAMETER_LOCATIONS = ("path", "query", "header", "cookie")
# Names from `typing` the client module imports when an annotation uses them.
TYPING_NAMES = ("Any", "Literal")

RetryMode = Literal["all", "unprocessed"]


# ---------------------------------------------------------------------------- views


@dataclass(frozen=True, slots=True)
class ParamView:
    """One operation parameter as a keyword argument of the method."""

    wire_name: str
    python_name: str
    location: str  # path, query, header, cookie
    annotation: str
    required: bool
    description: str | None
    encoding: str  # the `_runtime.ParamEncoding(...)` expression ("": a path parameter of the default style)
    encoding_name: str  # the module constant holding it
    default: str = "None"  # the argument's default (Python source): the spec's `default` when a scalar
    default_note: str | None = None  # a default the signature cannot show, for the docstring


@dataclass(frozen=True, slots=True)
class CheckView:
    """One location's parameters of an operation, and the compiled check they go to before sending."""

    location: str  # path, query, header, cookie
    function: str  # in `validators`
    params: tuple[ParamView, ...]


@dataclass(frozen=True, slots=True)
class PathPart:
    literal: str | None
    param: ParamView | None


@dataclass(frozen=True, slots=True)
class BodyView:
    annotation: str
    required: bool
    validator: str  # a callable: data -> list of issues
    model: str | None  # `_models.X` when the body has a model
    encoder: str = "_runtime.json_body"  # the runtime function that turns the body into bytes
    wire_shape: str | None = None  # the TypedDicts of a JSON body's wire shape, for the docstring
    check_name: str | None = None  # a module constant: the validator with read-only members refused
    check: str | None = None  # its source


def body_encoder(content_type: str) -> str:
    """Which runtime encoder sends a body of this media type (a raw one: as it is, under its type)."""
    kind = media_kind(content_type)
    if kind == "form":
        return "_runtime.form_body"
    if kind == "multipart":
        return "_runtime.multipart_body"
    if kind == "json":
        return "_runtime.json_body"
    return f"_runtime.raw_body({media_type(content_type)!r})"


@dataclass(frozen=True, slots=True)
class OperationView:
    python_name: str
    method: str  # upper case
    path: str
    doc: str  # the method docstring (without quotes)
    deprecated: bool
    params: tuple[ParamView, ...]
    checks: tuple[CheckView, ...]  # by location, in the order path, query, header, cookie
    path_parts: tuple[PathPart, ...]
    body: BodyView | None
    return_annotation: str  # what its responses parse into (`ResponseSpec[...]`; "Any" for an event stream)
    parsed_sync: str  # what `Client`'s raw and streamed responses' `.parse()` returns
    parsed_async: str  # the same for `AsyncClient` (`AsyncStream` for an event stream)
    returns_sync: str  # what the `Client` method returns
    returns_async: str  # what the `AsyncClient` method returns
    pagination: PaginationView | None
    responses_name: str  # the module constant of its ResponseSpec
    success: tuple[tuple[int, str], ...]  # status -> body parser (a `_runtime` expression, or "None")
    success_fallback: str  # for an undeclared 2xx
    errors: tuple[tuple[int, str], ...]  # status -> error model expression
    error_ranges: tuple[tuple[int, str], ...]  # 4 -> model for "4XX"
    error_default: str  # model for `default` ("None" when undeclared)
    security: tuple[str, ...]  # scheme keys applied; () is anonymous
    needs_credential: bool
    retry_mode: RetryMode
    idempotency_key: bool
    accept: str  # the Accept header: the media types of the documented responses
    examples: tuple[ExampleView, ...]
    models: tuple[str, ...]  # the classes of `models` its body and responses are parsed or checked with

    @property
    def runnable(self) -> bool:
        """Whether the README can show a call of it that the package's validators accept."""
        return bool(self.examples) and self.examples[0].runnable


@dataclass(frozen=True, slots=True)
class SchemeView:
    key: str
    kind: str
    location: str
    name: str
    http_scheme: str | None
    description: str | None


@dataclass(frozen=True, slots=True)
class ServerVariableView:
    python_name: str
    wire_name: str
    annotation: str
    default: str
    description: str | None


@dataclass(frozen=True, slots=True)
class ClientView:
    package: str
    title: str
    description: str | None
    api_version: str
    generator_version: str
    user_agent: str
    env_prefix: str
    api_key_env: str
    base_url_env: str
    server_url: str | None  # template with {variable} placeholders, None when the spec has none
    server_description: str | None
    server_variables: tuple[ServerVariableView, ...]
    server_check: str | None  # the `validators` function checking the server variables
    base_url_placeholder: bool  # the default server can never work: base_url is required
    retried_statuses: str  # what the client retries besides connection errors and timeouts, in words
    unprocessed_statuses: str  # what an operation that must not run twice is retried after, besides connect errors
    schemes: tuple[SchemeView, ...]
    has_credentials: bool
    secret_headers: tuple[str, ...]
    secret_query: tuple[str, ...]
    operations: tuple[OperationView, ...]
    typing_imports: tuple[str, ...]
    stdlib_imports: tuple[str, ...]  # `from datetime import date` and the like, for the annotations
    uses_models: bool
    uses_validators: bool


# ---------------------------------------------------------------------------- building


def client_view(api: Api, *, with_examples: bool = True, directional: bool = True) -> ClientView:
    """Every decision about the client of one API. The README's examples only `with_examples`:
    they are checked with the package's validators, which takes a while. The `readOnly` and
    `writeOnly` members the body checks and response parsers handle only when `directional`:
    finding them walks each body's and response's schema with every `$ref` it reaches, and
    a view read for its signatures alone (`sdkgen diff`) has no use for them."""
    schemes = tuple(_scheme_view(s) for s in api.security_schemes)
    examples_checks = None
    if with_examples:
        from generator.emit.examples import Checks

        examples_checks = Checks(api)
    wire = wire_types(api)
    checks = request_checks(api)
    by_operation: dict[str | None, list[RequestCheck]] = {}
    for check in checks:  # (asking `operation_checks` with all of them is quadratic)
        by_operation.setdefault(check.operation, []).append(check)
    operations = tuple(
        _operation_view(
            api, op, operation_checks(by_operation.get(op.python_name, []), op), examples_checks, wire, directional
        )
        for op in api.operations
    )
    server = api.servers[0] if api.servers else None
    server_variables = _server_variables(api)
    server_validator = server_check(checks)
    prefix = api.package.upper()
    secret_headers = sorted({*ALWAYS_SECRET_HEADERS, *(s.name.lower() for s in schemes if s.location == "header")})
    annotated = _names_in(
        {
            *(p.annotation for op in operations for p in op.params),
            *(op.body.annotation for op in operations if op.body),
            *(a for op in operations for a in (op.return_annotation, op.returns_sync, op.returns_async)),
            *(v.annotation for v in server_variables),
        }
    )
    return ClientView(
        package=api.package,
        title=api.title,
        description=api.description,
        api_version=api.version,
        generator_version=__version__,
        user_agent=f"{api.package}/{api.version or 'unknown'} sdkgen/{__version__}",
        env_prefix=prefix,
        api_key_env=f"{prefix}_API_KEY",
        base_url_env=f"{prefix}_BASE_URL",
        server_url=_server_url(server),
        server_description=server.description if server else None,
        server_variables=server_variables,
        server_check=server_validator.function if server_validator is not None else None,
        base_url_placeholder=_is_placeholder(server),
        retried_statuses=", ".join(str(status) for status in sorted(RETRY_STATUSES)) + " and 5xx",
        unprocessed_statuses=", ".join(str(status) for status in sorted(UNPROCESSED_STATUSES)),
        schemes=schemes,
        has_credentials=bool(schemes),
        secret_headers=tuple(secret_headers),
        secret_query=tuple(sorted({s.name for s in schemes if s.location == "query"})),
        operations=operations,
        typing_imports=tuple(name for name in TYPING_NAMES if name in annotated),
        stdlib_imports=stdlib_imports(annotated),
        uses_models=any(op.models for op in operations) or "_models" in annotated,
        uses_validators=bool(checks)
        or any(
            "_validators." in source
            for op in operations
            for source in (
                op.body.validator if op.body else "",
                op.success_fallback,
                op.pagination.source if op.pagination else "",
                *(p for _, p in op.success),
            )
        ),
    )


def _names_in(annotations: Iterable[str]) -> set[str]:
    """The names the annotations (Python expressions) refer to."""
    return {
        node.id
        for annotation in annotations
        for node in ast.walk(ast.parse(annotation, mode="eval"))
        if isinstance(node, ast.Name)
    }


def _scheme_view(scheme: SecurityScheme) -> SchemeView:
    return SchemeView(
        key=scheme.key,
        kind=scheme.kind,
        location=scheme.location,
        name=scheme.parameter_name,
        http_scheme=scheme.http_scheme,
        description=scheme.description,
    )


def _server_variables(api: Api) -> tuple[ServerVariableView, ...]:
    """Server variables that become constructor arguments (`requests.client_server_variables`)."""
    names = client_server_variables(api)
    views = []
    for variable in api.servers[0].variables if names else ():
        name = variable.python_name
        if name in ("base_url", "api_key", "timeout", "max_retries", "headers", "http_client", "self"):
            name += "_"
        annotation = "Literal[" + ", ".join(repr(v) for v in variable.enum) + "]" if variable.enum else "str"
        views.append(ServerVariableView(name, variable.name, annotation, variable.default, variable.description))
    return tuple(views)


def _server_url(server: Server | None) -> str | None:
    """The URL template the client fills in; a whole-URL variable is filled with its default."""
    if server is None:
        return None
    if whole_url_variable(server) is not None:
        return default_server_url(server)
    return server.url


def default_server_url(server: Server | None) -> str | None:
    if server is None:
        return None
    url = server.url
    for variable in server.variables:
        url = url.replace("{" + variable.name + "}", variable.default)
    return url


def _is_placeholder(server: Server | None) -> bool:
    url = default_server_url(server)
    if url is None:
        return True
    host = urlsplit(url).hostname or ""
    return not host or is_placeholder_host(host)


def _operation_view(
    api: Api,
    op: Operation,
    checks: dict[str, RequestCheck],
    examples_checks: Checks | None,
    wire: WireTypes,
    directional: bool = True,
) -> OperationView:
    if op.python_name in CLIENT_ATTRIBUTES:
        raise SpecError.at(
            f"operation {op.operation_id!r} would be the client method {op.python_name!r}, which the client "
            "already has; give the operation an x-sdkgen-name",
            pointer=op.pointer,
        )
    params = tuple(_param_view(api, op, p) for p in _arguments(op))
    check_views = tuple(
        CheckView(location, checks[location].function, tuple(p for p in params if p.location == location))
        for location in PARAMETER_LOCATIONS
        if location in checks
    )
    by_wire = {p.wire_name: p for p in params if p.location == "path"}
    parts: list[PathPart] = []
    for piece in re.split(r"(\{[^{}]+\})", op.path):
        if not piece:
            continue
        if piece.startswith("{") and piece[1:-1] in by_wire:
            parts.append(PathPart(None, by_wire[piece[1:-1]]))
        else:
            parts.append(PathPart(piece, None))

    body = _body_view(api, op, wire, directional) if op.body is not None else None

    success: list[tuple[int, Target]] = []
    errors: list[tuple[int, str]] = []
    ranges: list[tuple[int, str]] = []
    default: Target = NO_BODY
    models = [op.body.schema_name] if op.body is not None and op.body.schema_name is not None else []
    for response in op.responses:
        target = response_target(api, response, directional=directional)
        status = response.status.upper()
        if status == "DEFAULT":
            default = target
        elif status.endswith("XX"):
            if status[0] == "2":
                if all(code != 200 for code, _ in success):
                    success.append((200, target))
                else:
                    continue
            else:
                ranges.append((int(status[0]), target.error))
        elif status.isdigit() and int(status) >= 200:
            if int(status) < 300:
                success.append((int(status), target))
            else:
                errors.append((int(status), target.error))
        else:
            continue  # a 1xx status, or a 2XX range after a declared 200: not parsed
        if response.schema_name is not None:
            models.append(response.schema_name)
    # An undeclared 2xx parses like the first declared one (or `default` when none is).
    distinct = list(dict.fromkeys(t for _, t in success))
    fallback = distinct[0] if distinct else default
    returns = sorted(distinct or [fallback], key=lambda target: target.annotation == "None")  # None goes last
    return_annotation = " | ".join(dict.fromkeys(t.annotation for t in returns))
    parsed_sync = " | ".join(dict.fromkeys(parsed(t, "Stream") for t in returns))
    parsed_async = " | ".join(dict.fromkeys(parsed(t, "AsyncStream") for t in returns))
    # What the client can read: the media types of its success bodies, then those of its errors.
    accepted = [r.content_type for r in op.responses if r.status[:1] == "2" and r.content_type]
    accepted += [r.content_type for r in op.responses if r.status[:1] != "2" and r.content_type]

    pagination = pagination_view(api, op, directional=directional)
    security, needs_credential = _security_for(api, op)
    explicit = _extension(api, op, "x-sdkgen-idempotent")
    if explicit is not None and not isinstance(explicit, bool):
        raise SpecError.at(
            f"x-sdkgen-idempotent must be true or false, not {explicit!r}", pointer=op.pointer + "/x-sdkgen-idempotent"
        )
    idempotent = bool(explicit) if isinstance(explicit, bool) else op.method in IDEMPOTENT_METHODS
    retry_mode: RetryMode = "all" if idempotent or explicit is None else "unprocessed"
    return OperationView(
        python_name=op.python_name,
        method=op.method.upper(),
        path=op.path,
        doc=docstring(op, params, body, raises_lines(errors, ranges, default.error)),
        deprecated=op.deprecated,
        params=params,
        checks=check_views,
        path_parts=tuple(parts),
        body=body,
        return_annotation=return_annotation,
        parsed_sync=parsed_sync,
        parsed_async=parsed_async,
        returns_sync=f"SyncPage[{pagination.item}]" if pagination else parsed_sync,
        returns_async=f"AsyncPaginator[{pagination.item}]" if pagination else parsed_async,
        pagination=pagination,
        responses_name=f"_{op.python_name.upper()}_RESPONSES",
        success=tuple((status, target.parser) for status, target in success),
        success_fallback=fallback.parser,
        errors=tuple(errors),
        error_ranges=tuple(ranges),
        error_default=default.error,
        accept=", ".join(dict.fromkeys(accepted)) or "application/json",
        security=security,
        needs_credential=needs_credential,
        retry_mode=retry_mode,
        idempotency_key=not idempotent,
        examples=_examples(api, op, params, examples_checks),
        models=tuple(dict.fromkeys(api.schema(name).class_name for name in models)),
    )


def _examples(api: Api, op: Operation, params: tuple[ParamView, ...], checks: Checks | None) -> tuple[ExampleView, ...]:
    if checks is None:
        return ()
    from generator.emit.examples import examples

    return tuple(examples(api, op, [(p.wire_name, p.python_name) for p in params], checks))


def _arguments(op: Operation) -> list[Parameter]:
    """The parameters that become keyword arguments of the method."""
    return [p for p in op.parameters if p.location in PARAMETER_LOCATIONS]


def _extension(api: Api, op: Operation, name: str) -> object:
    """An `x-` member of the operation object, read from the bundled document."""
    node: Any = api.document
    for token in op.pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node.get(token) if isinstance(node, dict) else None
    return node.get(name) if isinstance(node, dict) else None


def _security_for(api: Api, op: Operation) -> tuple[tuple[str, ...], bool]:
    """The scheme keys the operation's credential goes to, and whether one is required.

    The first alternative whose schemes this package supports wins; an empty alternative
    (`{}`) means the operation may also be called anonymously.
    """
    known = {s.key for s in api.security_schemes}
    anonymous_ok = not op.security or any(len(alt) == 0 for alt in op.security)
    for alternative in op.security:
        if alternative and all(key in known for key in alternative):
            return alternative, not anonymous_ok
    return (), False


def _param_view(api: Api, op: Operation, parameter: Parameter) -> ParamView:
    schema = parameter.schema if isinstance(parameter.schema, dict) else {}
    declared = parameter.declared_schema if parameter.declared_schema is not None else parameter.schema
    annotation = param_annotation(api, declared)
    if not parameter.required and not annotation.endswith("| None"):
        annotation += " | None"
    # A double underscore keeps parameter constants apart from the operation's other constants.
    encoding_name = f"_{op.python_name.upper()}__{parameter.python_name.upper().rstrip('_')}"
    default, note = param_default(parameter, schema)
    return ParamView(
        wire_name=parameter.name,
        python_name=parameter.python_name,
        location=parameter.location,
        annotation=annotation,
        required=parameter.required,
        description=parameter.description,
        encoding=_param_encoding(parameter),
        encoding_name=encoding_name,
        default=default,
        default_note=note,
    )


def _param_encoding(p: Parameter) -> str:
    """The `_runtime.ParamEncoding(...)` source putting one argument on the wire, with what differs
    from the defaults; "" for a path parameter of the default style (`path_segment` needs none)."""
    if p.location == "path" and p.style == "simple" and not p.explode and p.media_type is None:
        return ""
    arguments = [f"name={p.name!r}", f"location={p.location!r}"]
    if p.media_type is not None:  # style, explode and allowReserved are for `schema` parameters
        arguments.append(f"media_type={p.media_type!r}")
    else:
        arguments += [] if p.explode else ["explode=False"]
        arguments += [f"style={p.style!r}"] if p.style != default_style(p.location) else []
        arguments += ["allow_reserved=True"] if p.allow_reserved else []
    return "_runtime.ParamEncoding(" + ", ".join(arguments) + ")"


def _body_view(api: Api, op: Operation, wire: WireTypes, directional: bool = True) -> BodyView:
    """The body argument: a JSON body is the model (or a model of one of its `oneOf`/`anyOf`
    branches) or a mapping typed by its wire shape (`generator.emit.wire_types`); other bodies
    are the model or any mapping (their file parts are not JSON)."""
    assert op.body is not None
    encoder = body_encoder(op.body.content_type)
    if op.body.kind in ("text", "binary", "event-stream"):
        annotation = "str | _runtime.RawContent" if op.body.kind == "text" else "_runtime.RawContent"
        return BodyView(annotation, op.body.required, "_runtime.accept_any", None, encoder)
    if op.body.schema_name is None:
        return BodyView("Any", op.body.required, "_runtime.accept_any", None, encoder)
    schema = api.schema(op.body.schema_name)
    model = "_models." + schema.class_name
    body = schema.body if isinstance(schema.body, dict) else {}
    wire_type = wire.bodies.get(op.body.schema_name)
    shape = None
    if wire_type is not None:
        branches = [f"_models.{name}" for name in branch_models(api, body)]
        annotation = " | ".join(dict.fromkeys([model, *branches, wire.qualified(wire_type, "_models.")]))
        shape = ", ".join(
            f"`{name}`" for name in wire.qualified(wire_type, "").split(" | ") if name in wire.definitions
        )
    else:
        annotation = f"{model} | Mapping[str, Any]"
    validator = f"_validators.validate_{schema.python_name}"
    read_only = read_only_members(api, schema.body) if directional else []
    if not read_only:
        return BodyView(annotation, op.body.required, validator, model, encoder, shape or None)
    check_name = f"_{op.python_name.upper()}__BODY"
    check = f"_runtime.without_read_only({validator}, {tuple((path, name) for path, name in read_only)!r})"
    return BodyView(annotation, op.body.required, check_name, model, encoder, shape or None, check_name, check)
