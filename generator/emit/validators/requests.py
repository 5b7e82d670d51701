"""What a request carries besides its body, as JSON Schemas the compiler checks like any other.

The client checks every argument before sending, and a parameter must read exactly like a
body member when it is wrong: same keywords, same format options, same messages. So there
is no second checker: for each operation and parameter location (path, query, header,
cookie) this module synthesizes the schema of a mapping `{wire name: value}`, an object
with one property per parameter, whose schema is the parameter's own by `$ref` to where it
sits in the spec (so a refusal is located there, and a shared `$ref` stays one function),
and `required` listing the required ones. A path parameter's property adds `minLength: 1`
(and `minItems`/`minProperties: 1` where it may be a list or an object): an empty value
expands to no segment, which would send the request to another URL. The client's server variables
(the constructor's arguments) get the same: a string property each, with its `enum`.

One check per location, not one per operation, because a wire name is unique only within
its location (`id` may be a path and a query parameter), and a check's issues then say
where the value travels without rewording them. The public names are chosen here, once,
for the validators module and the client alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from generator.diagnostics import Diagnostic, SpecError
from generator.ir import Api, JsonValue, Operation, Parameter, Server
from generator.ir.serialization import declared_types
from generator.spec.pointers import join_pointer, resolve_pointer

# Where the synthesized schemas sit in the compiler's view of the document: a member no
# OpenAPI document has (`x-` members of the root are the spec author's, and none is read).
CHECKS_ROOT = "x-sdkgen-request-checks"
LOCATIONS = ("path", "query", "header", "cookie")
SERVER = "server"


@dataclass(frozen=True, slots=True)
class RequestCheck:
    """One compiled check of arguments: the parameters of one location of an operation, or the server variables."""

    function: str  # its public name in validators.py
    key: str  # its schema's member under CHECKS_ROOT (the stem of the names made for it)
    schema: dict[str, JsonValue]
    what: str  # what it checks, for its docstring
    location: str  # path, query, header, cookie, or server
    operation: str | None  # the operation's method name; None for the server variables

    @property
    def pointer(self) -> str:
        return join_pointer("/" + CHECKS_ROOT, self.key)


def request_checks(api: Api) -> tuple[RequestCheck, ...]:
    """Every check the client makes besides the body's, in the order the module lists them."""
    taken = {"validate_" + schema.python_name for schema in api.schemas} | {"validate"}
    checks: list[RequestCheck] = []
    for op in api.operations:
        for location in LOCATIONS:
            parameters = [p for p in op.parameters if p.location == location]
            if not parameters:
                continue
            function = _unique(f"validate_{op.python_name}_{location}_parameters", taken)
            what = f"the {location} parameters of {op.python_name}"
            schema = parameter_schema(api.document, parameters)
            key = f"{op.python_name}_{location}"
            checks.append(RequestCheck(function, key, schema, what, location, op.python_name))
    variables = client_server_variables(api)
    if variables:
        function = _unique("validate_server_variables", taken)
        schema = server_schema(api.servers[0], "/servers/0")
        checks.append(RequestCheck(function, SERVER, schema, "the server variables", SERVER, None))
    return tuple(checks)


def operation_checks(checks: Sequence[RequestCheck], op: Operation) -> dict[str, RequestCheck]:
    """The checks of one operation's parameters, by location."""
    return {check.location: check for check in checks if check.operation == op.python_name}


def server_check(checks: Sequence[RequestCheck]) -> RequestCheck | None:
    return next((check for check in checks if check.location == SERVER), None)


def parameter_schema(document: JsonValue, parameters: Sequence[Parameter]) -> dict[str, JsonValue]:
    """The schema of a mapping `{wire name: value}` of these parameters (all of one location)."""
    properties: dict[str, JsonValue] = {}
    for parameter in parameters:
        target = schema_pointer(document, parameter)
        sub: dict[str, JsonValue] = {"$ref": _fragment(target)} if target is not None else {}
        if parameter.location == "path":
            # an empty string, list or object expands to no segment at all (RFC 6570): another URL
            sub["minLength"] = 1
            kinds = declared_types(parameter.schema)  # (the IR's schema has its `$ref` followed)
            if kinds is None or "array" in kinds:
                sub["minItems"] = 1
            if kinds is None or "object" in kinds:
                sub["minProperties"] = 1
        properties[parameter.name] = sub or True
    schema: dict[str, JsonValue] = {"type": "object", "properties": properties}
    required = [p.name for p in parameters if p.required]
    if required:
        schema["required"] = required
    return schema


def schema_pointer(document: JsonValue, parameter: Parameter) -> str | None:
    """Where the parameter's schema sits: its `schema`, else the schema of its `content` (None: any value)."""
    node = resolve_pointer(document, parameter.pointer)
    if not isinstance(node, dict):
        return None
    if "schema" in node:
        return join_pointer(parameter.pointer, "schema")
    content = node.get("content")
    if isinstance(content, dict):
        for media_type, media in content.items():
            if isinstance(media, dict) and "schema" in media:
                return join_pointer(join_pointer(join_pointer(parameter.pointer, "content"), media_type), "schema")
    return None


def schema_hints(api: Api) -> dict[str, str]:
    """Readable stems for the functions of parameter schemas (`_check_list_pets_limit`), by pointer.

    A parameter declared outside the operation (for its whole path, or in
    `components/parameters`) may serve several: it is named for itself alone.
    """
    hints: dict[str, str] = {}
    for op in api.operations:
        for parameter in op.parameters:
            target = schema_pointer(api.document, parameter)
            if target is None or target in hints:
                continue
            own = parameter.pointer.startswith(op.pointer + "/")
            hints[target] = f"{op.python_name}_{parameter.python_name}" if own else parameter.python_name
    return hints


def server_schema(server: Server, pointer: str) -> dict[str, JsonValue]:
    """The schema of a mapping `{variable name: value}`: a string each, one of its `enum` when it has one.

    A `default` outside the `enum` is refused, located at it (OpenAPI: it MUST be one of them):
    the client would refuse its own default.
    """
    properties: dict[str, JsonValue] = {}
    refused: list[Diagnostic] = []
    for variable in server.variables:
        sub: dict[str, JsonValue] = {"type": "string"}
        if variable.enum:
            sub["enum"] = list(variable.enum)
            if variable.default not in variable.enum:
                where = join_pointer(join_pointer(join_pointer(pointer, "variables"), variable.name), "default")
                message = (
                    f"server variable {variable.name!r}: the default {variable.default!r} is not one of its enum "
                    f"values ({', '.join(map(repr, variable.enum))})"
                )
                refused.append(Diagnostic(message, pointer=where))
        properties[variable.name] = sub
    if refused:
        raise SpecError(refused)
    return {"type": "object", "properties": properties}


def client_server_variables(api: Api) -> tuple[str, ...]:
    """The names of the server variables the client's constructor takes (its first server's).

    A server URL that is one variable and nothing else (`{baseUrl}`) is the base URL
    itself: the constructor's `base_url` covers it, and it takes no variables.
    """
    server = api.servers[0] if api.servers else None
    if server is None or whole_url_variable(server) is not None:
        return ()
    return tuple(variable.name for variable in server.variables)


def whole_url_variable(server: Server) -> str | None:
    """The variable a server URL consists of, when it is nothing else."""
    match = re.fullmatch(r"\{([^{}]+)\}", server.url)
    return match.group(1) if match else None


def checks_document(document: JsonValue, checks: Sequence[RequestCheck]) -> JsonValue:
    """The document as the compiler sees it: the spec (not changed), the synthesized schemas beside it."""
    if not checks:
        return document
    if not isinstance(document, dict):
        raise TypeError("an OpenAPI document is an object")
    return {**document, CHECKS_ROOT: {check.key: check.schema for check in checks}}


def _fragment(pointer: str) -> str:
    """A `$ref` to a pointer of this document (characters a URI fragment cannot hold, such as `{`, escaped)."""
    return "#" + quote(pointer, safe="/~!$&'()*+,;=:@-._")


def _unique(name: str, taken: set[str]) -> str:
    candidate, counter = name, 2
    while candidate in taken:
        candidate = f"{name}_{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


__all__ = [
    "CHECKS_ROOT",
    "LOCATIONS",
    "RequestCheck",
    "checks_document",
    "client_server_variables",
    "operation_checks",
    "parameter_schema",
    "request_checks",
    "schema_hints",
    "schema_pointer",
    "server_check",
    "server_schema",
    "whole_url_variable",
]
