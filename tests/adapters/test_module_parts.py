"""ModuleParts: a module parsed once, cut into its top-level statements, parts parsed again only
after an edit, with edits located as `ast` locates nodes."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from generator.adapters.module_parts import ModuleParts, Spans

SOURCE = """\
# a comment before anything
from __future__ import annotations

import os  # trailing comment

a = 1; b = 2


@decorated
class A:
    x: int = 1

    y: str = 'é'  # a multi-byte character before the edits


class B:
    pass
"""


def test_parts_are_cut_at_statements_and_join_to_the_source() -> None:
    parts = ModuleParts(SOURCE)
    texts = [part.text for part in parts.parts]
    assert "".join(texts) == SOURCE
    assert texts[0] == "# a comment before anything\n"  # no statement: the lines before the first
    assert texts[3] == "a = 1; b = 2\n\n\n"  # statements sharing a line share a part
    assert texts[4].startswith("@decorated\nclass A:")  # decorators belong to their statement
    assert [type(s).__name__ for _, s in parts.statements()] == [
        "ImportFrom", "Import", "Assign", "Assign", "ClassDef", "ClassDef",
    ]  # fmt: skip


def test_an_edit_is_located_by_the_module_s_line_numbers_then_by_the_part_s_own() -> None:
    parts = ModuleParts(SOURCE)
    part, a = next((p, s) for p, s in parts.statements() if isinstance(s, ast.ClassDef) and s.name == "A")
    assert isinstance(a, ast.ClassDef)
    y = a.body[1]
    assert isinstance(y, ast.AnnAssign) and y.value is not None
    spans = parts.spans(part)
    assert spans.text(y.value) == "'é'"
    spans.replace_node(y.value, "'ü'")
    assert parts.commit()
    assert not part.parsed  # parsed again only when read
    assert parts.text() == SOURCE.replace("'é'", "'ü'")
    again = next(s for s in part.body if isinstance(s, ast.ClassDef))
    assert part.first_line == 1 and again.lineno == 2  # its own line numbers now
    value = again.body[1]
    assert isinstance(value, ast.AnnAssign) and value.value is not None
    parts.spans(part).replace_node(value.value, "'ö'")
    parts.commit()
    assert parts.text() == SOURCE.replace("'é'", "'ö'")


def test_only_edited_parts_are_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = ModuleParts(SOURCE)
    list(parts.statements())
    _, b = [(p, s) for p, s in parts.statements()][-1]
    assert isinstance(b, ast.ClassDef)
    parsed: list[str] = []
    parse = ast.parse

    def counting(text: str, *args: Any, **kwargs: Any) -> ast.Module:
        parsed.append(text)
        return parse(text, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    part = parts.parts[-1]
    parts.spans(part).cut_lines(b.lineno, b.end_lineno or b.lineno)
    parts.commit()
    list(parts.statements())
    assert parsed == [""]  # the edited part alone (now empty), nothing else
    assert parts.text() == SOURCE[: SOURCE.index("class B")]


def test_nothing_is_parsed_until_a_statement_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    monkeypatch.setattr(ast, "parse", lambda text, *args, **kwargs: parsed.append(text))
    parts = ModuleParts("not python (\n")
    parts.insert_after("python (\n", "x\n")
    parts.insert_after("absent\n", "# top\n")
    text = parts.text()
    monkeypatch.undo()
    assert parsed == []
    assert text == "# top\nnot python (\nx\n"


def test_the_unedited_text_is_the_source_itself() -> None:
    parts = ModuleParts(SOURCE)
    list(parts.statements())
    parts.spans(parts.parts[1])  # asked for, never used
    assert not parts.commit()
    assert parts.text() is SOURCE


def test_lines_are_inserted_after_the_first_marker_line() -> None:
    parts = ModuleParts(SOURCE)
    list(parts.statements())
    parts.insert_after("from __future__ import annotations\n", "import sys\n")
    assert parts.text() == SOURCE.replace("annotations\n", "annotations\nimport sys\n")
    assert [type(s).__name__ for _, s in parts.statements()][:3] == ["ImportFrom", "Import", "Import"]


def test_spans_count_utf8_columns_and_every_line_end() -> None:
    spans = Spans("x = 'é'\r\ny = 2\rz = 3\n", first_line=10)
    assert spans.at(11) == len("x = 'é'\r\n".encode()) and spans.at(12, 1) == spans.at(11) + len("y = 2\r") + 1
    assert spans.last_line == 12
    spans.cut_lines(11, 11)
    spans.replace(spans.at(10, 5), spans.at(10, 7), "o")  # the two bytes of é
    assert spans.result() == "x = 'o'\r\nz = 3\n"
