"""Compiled validators: JSON Schema 2020-12 + CEL `x-rules` -> `<package>/validators.py`.

Entry points: `emit` (the package's emitter), `render_validators` (an `ir.Api`) and
`compile_schemas` (any JSON document and a list of named pointers into it; the test suites
use it). They return the module's source; formatting is left to the format step.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.emit import EmitOptions, Files
from generator.emit.templates import header as package_header
from generator.emit.validators.literals import py_str
from generator.emit.validators.model import Module
from generator.emit.validators.properties import UNICODE_VERSION
from generator.emit.validators.requests import checks_document, request_checks, schema_hints, server_check
from generator.ir import Api, JsonValue
from generator.ir.names import snake_case
from generator.spec.ref_map import RefMap

if TYPE_CHECKING:  # jinja2 loads when the module is first rendered (`sdkgen diff` renders none)
    import jinja2

__all__ = ["TEMPLATES", "compile_schemas", "emit", "render_validators"]

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
TEMPLATE = "package/validators.py.jinja"


def compile_schemas(
    document: JsonValue,
    entries: Sequence[tuple[str, str]],
    *,
    assert_formats: bool = False,
    title: str = "a schema",
    ref_map: RefMap = (),
) -> str:
    """The source of a validators module for `(public name, JSON pointer)` entries of `document`;
    `ref_map` ((URI prefix, folder) pairs) says where other documents it refers to are read from."""
    from generator.emit.validators.compiler import Compiler  # heavy: only when compiling

    compiler = Compiler(document, assert_formats=assert_formats, ref_map=ref_map)
    module = compiler.compile([(name, pointer, snake_case(name)) for name, pointer in entries])
    return _render(module, header="", title=title)


def emit(api: Api, options: EmitOptions) -> Files:
    """`validators.py`."""
    text = render_validators(
        api, assert_formats=options.assert_formats, header=package_header(api), ref_map=options.ref_map
    )
    return {"validators.py": text}


def render_validators(api: Api, *, assert_formats: bool = False, header: str = "", ref_map: RefMap = ()) -> str:
    """`<package>/validators.py` for an API: one validator per schema in `api.schemas`, and
    the client's checks of parameters and server variables (`requests.py`).

    `header` (the generator's "do not edit" lines) is put first, on lines of its own.
    """
    if header and not header.endswith("\n"):
        header += "\n"
    checks = request_checks(api)
    from generator.emit.validators.compiler import Compiler  # heavy: only when compiling

    compiler = Compiler(checks_document(api.document, checks), assert_formats=assert_formats, ref_map=ref_map)
    module = compiler.compile(
        [(s.name, s.pointer, s.python_name) for s in api.schemas],
        [(c.function, c.pointer, c.key, c.what) for c in checks],
        schema_hints(api),
    )
    return _render(module, header=header, title=api.title, server=server_check(checks) is not None)


def environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def _render(module: Module, *, header: str, title: str, server: bool = False) -> str:
    template = environment().get_template(TEMPLATE)
    entries = [
        {
            "function": e.function,
            "target": e.target,
            "doc": _doc(e.doc),
            "schema_name_literal": py_str(e.schema_name),
            "lines": e.lines,
            "registered": e.registered,
        }
        for e in module.entries
    ]
    functions = [
        {"name": f.name, "signature": f.signature, "doc": _doc(f.doc), "lines": f.lines} for f in module.functions
    ]
    entries.sort(key=lambda e: str(e["function"]))
    return template.render(
        header=header,
        unicode_version=UNICODE_VERSION if "unicode_data" in module.helpers else "",
        title=_doc(title),
        entries=[e for e in entries if e["registered"]],
        checks=[e for e in entries if not e["registered"]],
        server_check=server,
        constants=module.constants,
        functions=functions,
        helpers=sorted(module.helpers),
        imports=_imports(module.helpers),
    ).lstrip("\n")  # the macro definitions above the header leave a blank line


def _imports(helpers: set[str]) -> list[str]:
    """The standard-library imports the chosen helpers need (and nothing else: F401)."""
    lines = []
    if "json_text" in helpers:
        lines.append("import json")
    if "re" in helpers:
        lines.append("import re")
    names = []
    if helpers & {"format_date", "format_date_time"}:
        names.append("date")
    if "iso" in helpers:
        names.append("datetime")
    if names:
        lines.append(f"from datetime import {', '.join(names)}")
    if "multiple" in helpers:
        lines.append("from fractions import Fraction")
    if helpers & {"format_ipv4", "format_ipv6"}:
        lines.append("import ipaddress")
    return lines


def _doc(text: str) -> str:
    """Text safe inside a triple-quoted docstring, wrapped to stay under the line limit."""
    safe = " ".join(text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').split()).rstrip('"') or "-"
    return "\n    ".join(textwrap.wrap(safe, width=100, break_long_words=False, break_on_hyphens=False))
