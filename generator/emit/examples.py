"""The README's runnable examples: one call per operation (per request-body example), and the
response a mock server answers with.

Part of the client view (`generator.emit.client`): the README shows how the generated client is
called, so its examples are decided from the same IR and handed to `README.md.jinja` as plain
data. Every value in a call is one the package's own validators accept: the spec's example when
it passes them, else one made from the schema (`generator.emit.samples`), checked by the
validators compiled from the same schemas (`Checks`) before it is written into the README.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import SpecError
from generator.emit.generics import specialized_document
from generator.emit.samples import VARIANTS, Sampler, Variant
from generator.emit.wire_types import read_only_members
from generator.ir import Api, Example, Operation, Parameter, Response
from generator.spec.pointers import join_pointer, resolve_pointer, split_pointer


@dataclass(frozen=True, slots=True)
class ExampleView:
    """A runnable README example: one call of one operation with the spec's example values."""

    title: str
    call: str  # the argument list, Python source, one argument a line
    response_status: int
    response_body: str  # JSON text the mock answers with
    result_line: str  # a line using the result
    runnable: bool = True  # False: the body's schema accepts no value the compiler could make
    result_line_async: str = ""  # the same with AsyncClient ("": as result_line)


class Checks:
    """The package's validators for the schemas the examples of an API are checked against.

    Compiled (by the validators compiler, as `validators.py` is) on first use, all at once;
    a schema the compiler refuses on its own (parameter schemas are not part of `validators.py`)
    is checked with jsonschema instead.
    """

    def __init__(self, api: Api) -> None:
        self.api = api
        self._pointers = sorted({pointer for op in api.operations for pointer in _checked_pointers(api, op)})
        self._functions: dict[str, Callable[[Any], list[Any]]] | None = None

    def accepts(self, pointer: str, value: Any) -> bool:
        """Whether the validator of the schema at `pointer` finds no error in `value`."""
        if self._functions is None:
            self._functions = self._compile(self._pointers)
        function = self._functions.get(pointer)
        if function is None:
            from generator.adapters.jsonschema_values import ValueChecker

            return ValueChecker(self.api.document).problem(resolve_pointer(self.api.document, pointer), value) is None
        try:
            issues = function(value)
        except Exception:  # a value the checks cannot even read
            return False
        return not any(getattr(issue, "severity", "error") == "error" for issue in issues)

    def _compile(self, pointers: Sequence[str]) -> dict[str, Callable[[Any], list[Any]]]:
        from generator.emit.validators import compile_schemas

        entries = [(f"example_{index}", pointer) for index, pointer in enumerate(pointers)]
        try:
            namespace = _executed(compile_schemas(self.api.document, entries))
        except SpecError:
            if len(pointers) == 1:
                return {}
            functions: dict[str, Callable[[Any], list[Any]]] = {}
            for pointer in pointers:  # the ones the compiler takes, one by one
                functions.update(self._compile([pointer]))
            return functions
        functions = {pointer: namespace[f"validate_{name}"] for name, pointer in entries}
        return {pointer: self._as_sent(pointer, function) for pointer, function in functions.items()}

    def _as_sent(self, pointer: str, function: Callable[[Any], list[Any]]) -> Callable[[Any], list[Any]]:
        """A body's validator as the client runs it (`_runtime.without_read_only`): a `required`
        naming a read-only member does not hold for a request, whose samples leave them out."""
        body = next((schema for schema in self.api.schemas if schema.pointer == pointer), None)
        read_only = {name for _, name in read_only_members(self.api, body.body)} if body is not None else set()
        if not read_only:
            return function

        def check(data: Any) -> list[Any]:
            return [
                issue
                for issue in function(data)
                if not (issue.keyword == "required" and any(issue.message.endswith(repr(n)) for n in read_only))
            ]

        return check


def _checked_pointers(api: Api, op: Operation) -> list[str]:
    pointers = [_schema_pointer(p) for p in op.parameters if p.required and _has_schema(p)]
    if op.body is not None and op.body.schema_name is not None:
        pointers.append(api.schema(op.body.schema_name).pointer)
    return pointers


def _has_schema(parameter: Parameter) -> bool:
    return isinstance(parameter.schema, dict) and bool(parameter.schema)


def _schema_pointer(parameter: Parameter) -> str:
    """Where the parameter's schema is: its `schema`, or its `content` media type's."""
    return parameter.schema_pointer or join_pointer(parameter.pointer, "schema")


def examples(
    api: Api, op: Operation, argument_names: Sequence[tuple[str, str]], checks: Checks | None = None
) -> Iterator[ExampleView]:
    """One example call per valid request-body example (or one call when the body has none).

    `argument_names` pairs each parameter's wire name with its keyword argument's name.
    """
    checks = checks or Checks(api)
    arguments: list[str] = []
    for parameter in op.parameters:
        if not parameter.required:
            continue
        name = next(python for wire, python in argument_names if wire == parameter.name)
        arguments.append(f"{name}={py_literal(_parameter_value(api, parameter, checks))},")
    status, payload = _example_response(api, op)
    result_line = _result_line(op, api)
    streamed = op.pagination is not None or any(r.kind in STREAMED for r in op.responses if r.status[:1] == "2")
    result_async = "async " + result_line if streamed and result_line.startswith("for ") else result_line
    title = op.summary.strip().rstrip(".") if op.summary else op.python_name
    if op.body is None:
        yield ExampleView(title, "\n".join(arguments), status, payload, result_line, True, result_async)
        return
    bodies = _bodies(api, op, checks)
    if bodies is None:
        yield ExampleView(title, "\n".join(arguments), status, payload, result_line, False, result_async)
        return
    for example in bodies:
        call = [*arguments, f"body={py_literal(example.value)},"]
        named = example.name if example.name not in ("", "example") else title
        yield ExampleView(example.summary or named, "\n".join(call), status, payload, result_line, True, result_async)


# Where the compiled module can be cut: before each top-level function (the compiler's own text,
# in which no other line starts with "def ").
_TOP_LEVEL_DEF = re.compile(r"(?m)^(?=def )")


def _executed(source: str) -> dict[str, Any]:
    """The names a compiled validators module defines, compiled and run a function at a time.

    Compiling a large module at once holds its whole syntax tree (95,000 lines at 1,000
    operations: +390 MB, which then coincided with the models child's own peak); run in
    order into one namespace, the pieces define the same names, peak at the largest piece,
    and compile faster.
    """
    namespace: dict[str, Any] = {}
    for piece in _TOP_LEVEL_DEF.split(source):
        exec(compile(piece, "<example checks>", "exec"), namespace)
    return namespace


def _parameter_value(api: Api, parameter: Parameter, checks: Checks) -> Any:
    """The spec's example of a required parameter when its schema accepts it, else a made-up one."""
    pointer = _schema_pointer(parameter)
    if not _has_schema(parameter):
        return parameter.example if parameter.example is not None else "example"
    # Each variant is sampled only when the ones before it were refused.
    made = (Sampler(api.document, "request", variant).sample(parameter.schema) for variant in VARIANTS)
    tried: list[Any] = []
    for candidate in itertools.chain([parameter.example] if parameter.example is not None else [], made):
        if parameter.location == "path" and candidate in ([], {}):
            continue  # an empty list or object is no path segment at all (RFC 6570)
        tried.append(candidate)
        if candidate is not None and checks.accepts(pointer, candidate):
            return candidate
    return next((candidate for candidate in tried if candidate is not None), "example")


def _bodies(api: Api, op: Operation, checks: Checks) -> list[Example] | None:
    """The spec's body examples its schema accepts (completed where only required members are
    missing), else one made from the schema; None when the validators accept none of them
    (a schema that accepts no value at all: `allOf` of a string and an integer, a `oneOf` of
    two identical branches)."""
    assert op.body is not None
    if op.body.kind in RAW_BODY_EXAMPLES:  # sent as it is: bytes or text, not checked
        return list(op.body.examples) or [Example("", None, RAW_BODY_EXAMPLES[op.body.kind])]
    if op.body.schema_name is None:
        return list(op.body.examples) or [Example("", None, {})]
    pointer = api.schema(op.body.schema_name).pointer
    schema = _concrete_body(api, op.body.schema_name)
    files = op.body.content_type.split(";")[0].strip().lower().startswith("multipart/")
    made = (Sampler(api.document, "request", Variant(v.examples, v.optional, files)).sample(schema) for v in VARIANTS)
    accepted = next((value for value in made if checks.accepts(pointer, _without_files(value))), None)
    found: list[Example] = []
    for example in op.body.examples:
        if checks.accepts(pointer, _without_files(example.value)):
            found.append(example)
        elif isinstance(example.value, dict) and isinstance(accepted, dict):
            completed = {**accepted, **example.value}
            if checks.accepts(pointer, _without_files(completed)):
                found.append(Example(example.name, example.summary, completed))
    if found:
        return found
    return [Example("", None, accepted)] if accepted is not None or checks.accepts(pointer, None) else None


def _concrete_body(api: Api, name: str) -> Any:
    """A schema's body to sample, a generic container's use made concrete (`generics`)."""
    schema = api.schema(name)
    document = specialized_document(api.document)
    return schema.body if document is api.document else resolve_pointer(document, schema.pointer)


def _without_files(value: Any) -> Any:
    """What the validators see of a multipart body: a file part stands as a string."""
    if isinstance(value, dict):
        return {key: "" if isinstance(item, bytes) else item for key, item in value.items()}
    return value


# Response kinds a client iterates as they arrive (`Stream` / `AsyncStream`).
STREAMED = frozenset({"event-stream", "json-sequence"})
# The body a README example sends where the spec's body is raw (sent as it is).
RAW_BODY_EXAMPLES: dict[str, Any] = {"binary": b"example bytes", "text": "example text", "event-stream": b"data: 1\n\n"}


def _example_response(api: Api, op: Operation) -> tuple[int, str]:
    """The status and body (JSON, or the text itself) a mock server answers the example with."""
    for response in op.responses:
        if response.status.isdigit() and response.status.startswith("2"):
            example = _response_example(api, op, response)
            if response.kind in ("text", "binary"):
                return int(response.status), example if isinstance(example, str) else "example"
            return int(response.status), json.dumps(example)
    return 200, "{}"


def _response_example(api: Api, op: Operation, response: Response) -> Any:
    """The spec's example of the response when its schema accepts it, else one made from the schema."""
    node: Any = api.document
    for token in op.pointer.split("/")[1:]:
        node = node.get(token.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
    declared = _followed(api, node.get("responses", {}).get(response.status, {}))
    media = _followed(api, (declared.get("content", {}) or {}).get(response.content_type or "", {}))
    candidates: list[Any] = []
    if isinstance(media, dict):
        if "example" in media:
            candidates.append(media["example"])
        for example in (media.get("examples") or {}).values():
            if isinstance(example, dict) and "value" in example:
                candidates.append(example["value"])
    if response.schema_name is None:
        return candidates[0] if candidates else {}
    schema = _concrete_body(api, response.schema_name)
    sampler = Sampler(api.document, "response")
    # A page shows its items (optional members included) and is the last one.
    variants = VARIANTS[2:] + VARIANTS[:2] if op.pagination is not None else VARIANTS[:2]
    made = (Sampler(api.document, "response", variant).sample(schema) for variant in variants)
    chosen: Any = None
    for chosen in itertools.chain(candidates, made):  # none valid: the last variant's
        if sampler.valid(schema, chosen):
            break
    return _last_page(op, chosen) if op.pagination is not None else chosen


def _followed(api: Api, node: Any) -> Any:
    """A response or media type object, its local `$ref` followed (3.2 has components/mediaTypes)."""
    for _ in range(8):  # a chain of refs is short; a cycle was refused when the spec was loaded
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
            break
        try:
            node = resolve_pointer(api.document, node["$ref"][1:])
        except KeyError:
            return {}
    return node if isinstance(node, dict) else {}


def _last_page(op: Operation, body: Any) -> Any:
    """A page that names no next one: its next cursor or URL left out, `has_more` false."""
    pagination = op.pagination
    assert pagination is not None
    body = copy.deepcopy(body)
    for pointer in (pagination.next_cursor, pagination.next_url):
        if pointer:
            *parents, last = split_pointer(pointer)
            holder = _at(body, parents)
            if isinstance(holder, dict):
                holder.pop(last, None)
    if pagination.has_more:
        *parents, last = split_pointer(pagination.has_more)
        holder = _at(body, parents)
        if isinstance(holder, dict):
            holder[last] = False
    return body


def _at(data: Any, tokens: Sequence[str]) -> Any:
    for token in tokens:
        data = data.get(token) if isinstance(data, dict) else None
    return data


def example_from_schema(api: Api, schema: Any, depth: int) -> Any:
    """An instance built from a schema's own `example`s (Prism payloads)."""
    if not isinstance(schema, dict) or depth > 5:
        return None
    if "example" in schema:
        return schema["example"]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        # Any local target: a component, or a place inside one (`#/components/schemas/Item/$defs/Dims`).
        try:
            target = resolve_pointer(api.document, ref[1:])
        except KeyError:
            return None
        return example_from_schema(api, target, depth + 1)
    if schema.get("type") == "array":
        item = example_from_schema(api, schema.get("items"), depth + 1)
        return [] if item is None else [item]
    if "properties" in schema:
        result = {}
        for name, sub in schema["properties"].items():
            value = example_from_schema(api, sub, depth + 1)
            if value is not None:
                result[name] = value
        return result
    return None


def _result_line(op: Operation, api: Api) -> str:
    if op.pagination is not None:
        return "for item in result:  # every item, page after page\n    print(item)"
    for response in op.responses:
        if response.status.startswith("2") and response.kind == "binary":
            return 'print(len(result), "bytes")'
        if response.status.startswith("2") and response.kind == "event-stream":
            return "for event in result:\n    print(event)"
        if response.status.startswith("2") and response.kind == "json-sequence":
            return "for record in result:\n    print(record)"
        if response.status.startswith("2") and response.schema_name is not None:
            body = api.schema(response.schema_name).body
            if isinstance(body, dict) and body.get("type") == "array":
                return "for item in result.root:\n    print(item)"
            if isinstance(body, dict) and isinstance(body.get("enum"), list):
                return "print(result)"  # a member of the schema's Enum class
            if not _dumps_as_model(api, body, 0):
                return "print(result)"  # a union with a value that is no model (a string, null)
            return "print(result.model_dump_json(indent=2, exclude_unset=True))"
    return "print(result)"


def _dumps_as_model(api: Api, schema: Any, depth: int) -> bool:
    """Whether what a response of this schema parses into has `model_dump_json`: anything but a
    `oneOf`/`anyOf` (a type alias of the union of its branches) with a branch that is no object."""
    if not isinstance(schema, dict) or depth > 8:
        return False
    branches = schema.get("oneOf") or schema.get("anyOf")
    if not isinstance(branches, list) or "properties" in schema:
        return True
    for branch in branches:
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        if not isinstance(ref, str):
            return False
        try:
            target = resolve_pointer(api.document, ref[1:])
        except KeyError:
            return False
        if not isinstance(target, dict):
            return False
        objectish = target.get("type") == "object" or "properties" in target or "allOf" in target
        if not objectish and not (
            (target.get("oneOf") or target.get("anyOf")) and _dumps_as_model(api, target, depth + 1)
        ):
            return False
    return True


def py_literal(value: Any, level: int = 0) -> str:
    """A JSON value as readable Python source, indented 4 spaces a level."""
    pad = "    " * (level + 1)
    end = "    " * level
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}{key!r}: {py_literal(item, level + 1)}," for key, item in value.items()]
        return "{\n" + "\n".join(items) + "\n" + end + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(isinstance(item, str | int | float | bool) or item is None for item in value):
            flat = "[" + ", ".join(py_literal(item) for item in value) + "]"
            if len(flat) < 60:
                return flat
        items = [f"{pad}{py_literal(item, level + 1)}," for item in value]
        return "[\n" + "\n".join(items) + "\n" + end + "]"
    return repr(value)
