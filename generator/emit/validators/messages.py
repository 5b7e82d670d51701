"""How issues read, and how an issue is written into generated code.

Each keyword's own wording sits in its entry of the keyword table (`keywords/`); this module
holds what several keywords share (a value quoted in a message, a plural, the wording of a
`false` schema and of an unexpected member), the statement that records an issue, and the
docstrings of the generated functions.
"""

from __future__ import annotations

import json

from generator.emit.validators.literals import JsonValue, Ptr, py_str, py_text


def issue_statement(at: Ptr, keyword: str, message: str, severity: str | None = None, dynamic: bool = False) -> str:
    """The statement adding an issue to `e`; `message` is Python code when `dynamic`
    (an f-string naming what only the run knows), else the text itself."""
    text = message if dynamic else py_text(message)
    return f"e.append(_new_issue(Issue, ({at.code()}, {py_str(keyword)}, {text}, {py_str(severity or 'error')})))"


def short_json(value: JsonValue, limit: int = 60) -> str:
    """A JSON value for a message, cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_of_values(values: list[JsonValue]) -> str:
    """The values of an enum (or a discriminator) as a message lists them: the first eight, as JSON."""
    return ", ".join(short_json(v, 30) for v in values[:8]) + (", ..." if len(values) > 8 else "")


def number_text(value: JsonValue) -> str:
    """A limit from the schema as a message shows it (2.0 stays 2.0: it is what the spec says)."""
    return repr(value)


def plural(count: int, noun: str) -> str:
    """`1 item`, `2 items`."""
    return f"{count} {noun}{'s' * (count != 1)}"


def not_allowed(member: str | None, note: str | None) -> str:
    """A `false` schema: nothing is valid here; `note` is the schema's own explanation, when it gives one."""
    what = f"member {member!r}" if member is not None else "this value"
    return f"{what} is not allowed here" + (f": {note}" if note else "")


def unexpected_member(key: str) -> str:
    """The message (an f-string in the generated code) for a member no keyword accepts."""
    return f'f"unexpected member {{{key}!r}}"'


def entry_doc(schema_name: str) -> str:
    return f"Every issue of `data` against the schema {schema_name}; [] when it is valid (warnings aside)."


def check_doc(what: str) -> str:
    """The docstring of a request check (`what`: "the query parameters of list_pets")."""
    return (
        f"Every issue of {what}, given as a mapping {{wire name: value}} of JSON values (leave out what is "
        "not sent); [] when they are valid (warnings aside)."
    )


def function_doc(pointer: str, mode: str) -> str:
    """The docstring of a compiled function, by mode ("issues", "annotating" or "boolean")."""
    where = f"#{pointer}" if pointer else "the document root"
    if mode == "boolean":
        return f"Whether the value is valid against {where} (stops at the first failure)."
    return f"Add to `e` the issues of `v` (found at pointer `p`) against {where}" + (
        ", recording in `seen` what it evaluated." if mode == "annotating" else "."
    )
