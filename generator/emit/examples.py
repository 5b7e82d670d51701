"""The README's runnable examples: one call per operation (per request-body example), with the
spec's example values and the response a mock server answers with.

Part of the client view (`generator.emit.client`): the README shows how the generated client is
called, so its examples are decided from the same IR and handed to `README.md.jinja` as plain
data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.ir import Api, Example, Operation, Response
from generator.spec.pointers import resolve_pointer


@dataclass(frozen=True, slots=True)
class ExampleView:
    """A runnable README example: one call of one operation with the spec's example values."""

    title: str
    call: str  # the argument list, Python source, one argument a line
    response_status: int
    response_body: str  # JSON text the mock answers with
    result_line: str  # a line using the result


def examples(api: Api, op: Operation, argument_names: Sequence[tuple[str, str]]) -> Iterator[ExampleView]:
    """One example call per request-body example (or one call when the body has none).

    `argument_names` pairs each parameter's wire name with its keyword argument's name.
    """
    arguments: list[str] = []
    for parameter in op.parameters:
        if not parameter.required:
            continue
        name = next(python for wire, python in argument_names if wire == parameter.name)
        value = parameter.example if parameter.example is not None else _placeholder(parameter.schema)
        arguments.append(f"{name}={py_literal(value)},")
    status, payload = _example_response(api, op)
    result_line = _result_line(op, api)
    examples: list[Example] = list(op.body.examples) if op.body is not None else []
    if op.body is not None and not examples:
        examples = [Example("example", None, RAW_BODY_EXAMPLES.get(op.body.kind, {}))]
    if not examples:
        yield ExampleView(op.summary or op.python_name, "\n".join(arguments), status, payload, result_line)
        return
    for example in examples:
        call = [*arguments, f"body={py_literal(example.value)},"]
        title = example.summary or example.name
        yield ExampleView(title, "\n".join(call), status, payload, result_line)


def _placeholder(schema: Any) -> Any:
    kind = schema.get("type") if isinstance(schema, dict) else None
    return {"integer": 1, "number": 1.0, "boolean": True}.get(str(kind), "example")


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
    node: Any = api.document
    for token in op.pointer.split("/")[1:]:
        node = node.get(token.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
    media = (node.get("responses", {}).get(response.status, {}).get("content", {}) or {}).get(
        response.content_type or "", {}
    )
    if isinstance(media, dict):
        if "example" in media:
            return media["example"]
        for example in (media.get("examples") or {}).values():
            if isinstance(example, dict) and "value" in example:
                return example["value"]
    if response.schema_name is not None:
        return example_from_schema(api, api.schema(response.schema_name).body, 0)
    return {}


def example_from_schema(api: Api, schema: Any, depth: int) -> Any:
    """An instance built from a schema's own `example`s (README responses, Prism payloads)."""
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
        if response.status.startswith("2") and response.schema_name is not None:
            body = api.schema(response.schema_name).body
            if isinstance(body, dict) and body.get("type") == "array":
                return "for item in result.root:\n    print(item)"
            return "print(result.model_dump_json(indent=2, exclude_unset=True))"
    return "print(result)"


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
