"""What a client method says: its parameters' annotations and defaults, and its docstring.

Part of the client view (`generator.emit.client`). The spec describes strings on the wire; a
parameter also takes the Python values they stand for where the package has them: the Enum
class of a component enum, `UUID`, `datetime` and `date` for those formats
(the runtime's `json_value` and `to_text` turn them back into the strings the spec describes). Its default is
the spec's, under one rule (`param_default`). Their docstring lines, and the errors a method
raises with the model of each (`raises_lines`), are written here too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from generator.ir import Api, Operation, Parameter
from generator.ir.parse import python_type
from generator.spec.pointers import resolve_pointer

if TYPE_CHECKING:
    from generator.emit.client import BodyView, ParamView

# What `format` a string parameter has that the client also takes as a Python value.
PYTHON_FORMATS = {"uuid": "UUID", "date-time": "datetime", "date": "date"}
# Where those Python types come from, for the client module's imports.
PYTHON_FORMAT_IMPORTS = {"UUID": "uuid", "datetime": "datetime", "date": "datetime"}


def param_annotation(api: Api, schema: Any, depth: int = 0) -> str:
    """What a parameter of this schema (as written, `$ref`s kept) accepts.

    An enum the package generates (a component enum of strings or integers) accepts its Enum
    class and its values (`_models.Status | Literal["open", "done"]`); `format: uuid`,
    `date-time` and `date` accept `UUID`, `datetime` and `date` as well as `str` (the runtime
    sends each in the form the spec describes: `_runtime.parameters.json_value` and `to_text`).
    """
    if not isinstance(schema, dict) or depth > 8:
        return "Any"
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        try:
            target = resolve_pointer(api.document, ref[1:])
        except KeyError:
            return "Any"
        enum_class = _enum_class(api, ref, target)
        if enum_class is not None:
            values = [value for value in target["enum"] if value is not None]
            annotation = f"_models.{enum_class} | Literal[{', '.join(repr(v) for v in values)}]"
            return _with_null(annotation, None in target["enum"] or _nullable(schema))
        return _with_null(param_annotation(api, target, depth + 1), _nullable(schema))
    parts = schema.get("allOf")
    if isinstance(parts, list) and len(parts) == 1 and not schema.get("type") and "enum" not in schema:
        return _with_null(param_annotation(api, parts[0], depth + 1), _nullable(schema))
    branches = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches:
        return _with_null(param_annotation(api, branches[1 - branches.index({"type": "null"})], depth + 1), True)
    kind = schema.get("type")
    kinds = [k for k in kind if k != "null"] if isinstance(kind, list) else [kind]
    fmt = schema.get("format")
    if kinds == ["string"] and "enum" not in schema and fmt in PYTHON_FORMATS:
        return _with_null(f"{PYTHON_FORMATS[str(fmt)]} | str", _nullable(schema))
    if kinds == ["array"]:
        return _with_null(f"list[{param_annotation(api, schema.get('items', {}), depth + 1)}]", _nullable(schema))
    return python_type(schema)


def _enum_class(api: Api, ref: str, target: Any) -> str | None:
    """The Enum class the models have for a component enum schema (of strings or of integers)."""
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix) or ref.count("/") != 3 or not isinstance(target, dict):
        return None
    values = [value for value in target.get("enum") or [] if value is not None]
    if not values or not (all(isinstance(v, str) for v in values) or all(type(v) is int for v in values)):
        return None
    name = ref[len(prefix) :].replace("~1", "/").replace("~0", "~")
    return next((schema.class_name for schema in api.schemas if schema.name == name), None)


def _nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return (isinstance(kind, list) and "null" in kind) or schema.get("nullable") is True


def _with_null(annotation: str, nullable: bool) -> str:
    return f"{annotation} | None" if nullable and not annotation.endswith("| None") else annotation


def param_default(parameter: Parameter, schema: dict[str, Any]) -> tuple[str, str | None]:
    """The argument's default and a note for the docstring.

    One rule for every operation: an optional parameter's default is the spec's `default`, and
    it is sent like any value passed (None leaves the parameter out, and the server applies its
    own default). A default Python cannot show as an argument default (a list, an object) stays
    None in the signature, and the docstring names it as the server's.
    """
    if parameter.required or "default" not in schema or schema["default"] is None:
        return "None", None
    value = schema["default"]
    if isinstance(value, str | int | float | bool):
        return repr(value), None
    return "None", f"when left out, the server applies the spec's default, {json.dumps(value)}."


def param_doc(param: ParamView) -> str:
    text = param.description or f"the {param.location} parameter `{param.wire_name}`."
    if param.default != "None":
        text = text.rstrip() + f"\nDefault {param.default}, sent unless you pass None (then the server decides)."
    elif param.default_note is not None:
        text = text.rstrip() + "\n" + param.default_note[0].upper() + param.default_note[1:]
    return text


def raises_lines(errors: Sequence[tuple[int, str]], ranges: Sequence[tuple[int, str]], default: str) -> list[str]:
    """The docstring's Raises lines: each documented error status, its exception, its model."""
    from generator.emit.runtime import error_class_for

    def model(target: str) -> str:
        name = target.removeprefix("_models.")
        return (
            f"; `error_as(models.{name})` gives its body as the spec's `{name}`"
            if target.startswith("_models.")
            else ""
        )

    lines = [f"{error_class_for(status)}: {status}{model(target)}." for status, target in errors]
    lines += [f"APIStatusError: a {digit}xx status{model(target)}." for digit, target in ranges]
    if default != "None":
        lines.append(f"APIStatusError: any other error status{model(default)}.")
    return lines


def stdlib_imports(names: set[str]) -> tuple[str, ...]:
    """The `from <module> import ...` lines the annotations' Python types need."""
    modules: dict[str, list[str]] = {}
    for name, module in sorted(PYTHON_FORMAT_IMPORTS.items()):
        if name in names:
            modules.setdefault(module, []).append(name)
    return tuple(f"from {module} import {', '.join(sorted(found))}" for module, found in sorted(modules.items()))


def branch_models(api: Api, body: dict[str, Any]) -> list[str]:
    """The classes of the components a `oneOf`/`anyOf` body is made of (each one a body too)."""
    found: list[str] = []
    for keyword in ("oneOf", "anyOf"):
        for branch in body.get(keyword) or []:
            ref = branch.get("$ref") if isinstance(branch, dict) else None
            if isinstance(ref, str) and ref.startswith("#/components/schemas/") and ref.count("/") == 3:
                name = ref.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
                found.extend(schema.class_name for schema in api.schemas if schema.name == name)
    return found


def docstring(op: Operation, params: Sequence[ParamView], body: BodyView | None, raises: Sequence[str] = ()) -> str:
    """Summary, description, then the arguments: what a user reads in their editor."""
    lines: list[str] = []
    if op.summary:
        lines.append(op.summary.strip().rstrip(".") + ".")
    if op.description:
        if lines:
            lines.append("")
        lines.extend(op.description.strip().splitlines())
    if not lines:
        lines.append(f"{op.method.upper()} {op.path}.")
    if op.deprecated:
        lines += ["", "Deprecated: the spec marks this operation as deprecated."]
    arguments = [(p.python_name, param_doc(p)) for p in params]
    if body is not None:
        if body.annotation.endswith("_runtime.RawContent"):
            media = body.encoder.removeprefix("_runtime.raw_body(").removesuffix(")").strip("'\"")
            arguments.append(
                (
                    "body",
                    f"the {media} body: bytes, a file opened in binary mode or an iterator of bytes; sent as it is.",
                )
            )
        else:
            if body.model is None:
                what = "the JSON body"
            elif body.wire_shape is not None:
                what = f"a `{body.model.removeprefix('_models.')}` or a mapping of its wire shape ({body.wire_shape})"
            else:
                what = f"a `{body.model.removeprefix('_models.')}` or a plain mapping"
            arguments.append(("body", f"{what}; checked against the schema before anything is sent."))
    if arguments:
        lines += ["", "Args:"]
        for name, text in arguments:
            first, *rest = text.strip().splitlines() or [""]
            lines.append(f"    {name}: {first}")
            lines.extend(f"        {line}" if line.strip() else "" for line in rest)
    if raises:
        lines += ["", "Raises:", *(f"    {line}" for line in raises)]
    text = "\n".join(line.rstrip() for line in lines)
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
