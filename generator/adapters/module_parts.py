"""A Python module's source held as its top-level statements, each part with its own text and
syntax tree, so that a series of exact-span corrections shares one parse.

datamodel-code-generator's output is corrected by several passes in a row
(`generator.adapters.datamodel_codegen`), each reading the syntax tree of the module as the
passes before it left it. Parsing a large models module takes a third of a second, so parsing
it again for every pass costs more than the passes themselves. Here the module is parsed once
and cut into parts at statement boundaries; a pass edits the parts it changes, and only those
are parsed again, on their own, when a later pass reads them. A top-level statement parses
alone to the same tree as inside its module; only its line numbers differ, and `Spans` counts
lines from where the part's tree counts them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator


class Spans:
    """Exact-span edits of a source, located as `ast` locates nodes (columns count UTF-8 bytes).

    `first_line` is the line number the nodes give the source's first line (a part of a module
    parsed with the whole module keeps the module's line numbers).
    """

    def __init__(self, source: str, first_line: int = 1) -> None:
        self.data = source.encode("utf-8")
        self.first_line = first_line
        # Line starts as Python's tokenizer counts lines (\n, \r\n and a lone \r end one).
        self.starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.edits: list[tuple[int, int, bytes]] = []

    @property
    def last_line(self) -> int:
        """The number of the source's last line (a line end closes it)."""
        return self.first_line + len(self.starts) - 2

    def at(self, line: int, column: int = 0) -> int:
        return self.starts[line - self.first_line] + column

    def text(self, node: ast.expr) -> str:
        assert node.end_lineno is not None and node.end_col_offset is not None
        return self.data[self.at(node.lineno, node.col_offset) : self.at(node.end_lineno, node.end_col_offset)].decode()

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, text.encode("utf-8")))

    def replace_node(self, node: ast.expr, text: str) -> None:
        """The source of `node` replaced by `text`."""
        assert node.end_lineno is not None and node.end_col_offset is not None
        self.replace(self.at(node.lineno, node.col_offset), self.at(node.end_lineno, node.end_col_offset), text)

    def cut_lines(self, first: int, last: int) -> None:
        """Lines `first` to `last` (inclusive), line ends included."""
        self.replace(self.at(first), self.at(last + 1), "")

    def result(self) -> str:
        """The source with every edit made (edits do not overlap)."""
        pieces: list[bytes] = []
        done = 0
        for start, end, text in sorted(self.edits):
            pieces += [self.data[done:start], text]
            done = end
        pieces.append(self.data[done:])
        return b"".join(pieces).decode("utf-8")


class Part:
    """Consecutive lines of a module holding whole top-level statements (or none: the comments
    and blank lines before the first one), with their tree, parsed again after an edit."""

    def __init__(self, text: str, body: list[ast.stmt] | None, first_line: int) -> None:
        self.text = text
        self._body = body
        self.first_line = first_line  # the line number the nodes of `body` give the part's first line

    @property
    def body(self) -> list[ast.stmt]:
        """The part's statements (parsed now if the part was edited since)."""
        if self._body is None:
            self._body = ast.parse(self.text).body
            self.first_line = 1
        return self._body

    @property
    def parsed(self) -> bool:
        """Whether `body` is at hand without a parse."""
        return self._body is not None

    def edited(self, text: str) -> None:
        self.text = text
        self._body = None


class ModuleParts:
    """A module's source as `Part`s: what the passes of one series of corrections share.

    A pass asks `spans(part)` for the edits of each part it changes and ends with `commit()`,
    which makes them; the next pass reads the parts as edited.
    """

    def __init__(self, source: str) -> None:
        self._source: str | None = source  # until the first pass needs the parts
        self._unedited: str | None = source  # the very text, until an edit
        self._parts: list[Part] = []
        self._spans: dict[int, tuple[Part, Spans]] = {}

    @property
    def parts(self) -> list[Part]:
        """The parts (the module is parsed when they are first asked for)."""
        if self._source is not None:
            self._parts, self._source = _split(self._source), None
        return self._parts

    def text(self) -> str:
        if self._unedited is not None:
            return self._unedited
        if self._source is not None:
            return self._source
        return "".join(part.text for part in self._parts)

    def statements(self) -> Iterator[tuple[Part, ast.stmt]]:
        """Every top-level statement in order, with the part that holds it."""
        for part in self.parts:
            for statement in part.body:
                yield part, statement

    def spans(self, part: Part) -> Spans:
        """The edits of `part` in this pass (made by `commit`)."""
        held = self._spans.get(id(part))
        if held is None:
            # An edited part's nodes, once read, come from parsing it alone: they count from 1.
            held = self._spans[id(part)] = (part, Spans(part.text, part.first_line if part.parsed else 1))
        return held[1]

    def commit(self) -> bool:
        """Make the edits asked for since the last commit; whether there were any."""
        changed = False
        for part, spans in self._spans.values():
            if spans.edits:
                part.edited(spans.result())
                changed = True
                self._unedited = None
        self._spans.clear()
        return changed

    def insert_after(self, marker: str, lines: str) -> None:
        """`lines` inserted after the first `marker` (one whole line, its line end included), or
        at the top without one; as `source.index(marker)` on the whole text would place it."""
        assert not self._spans, "commit the edits first"
        if not lines:
            return
        self._unedited = None
        if self._source is not None:  # not parsed yet: the text is the module
            at = self._source.index(marker) + len(marker) if marker in self._source else 0
            self._source = self._source[:at] + lines + self._source[at:]
            return
        for part in self.parts:
            at = part.text.find(marker)
            if at >= 0:  # a whole line lies inside one part: parts are cut at line starts
                part.edited(part.text[: at + len(marker)] + lines + part.text[at + len(marker) :])
                return
        self.parts[0].edited(lines + self.parts[0].text)


def _split(source: str) -> list[Part]:
    """The source parsed once and cut before each statement that starts on a line of its own."""
    tree = ast.parse(source)
    data = source.encode("utf-8")
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    groups: list[tuple[int, list[ast.stmt]]] = []  # (first line, statements)
    last_end = 0
    for statement in tree.body:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        if groups and first <= last_end:  # shares a line with the statement before (`a = 1; b = 2`)
            groups[-1][1].append(statement)
        else:
            groups.append((first, [statement]))
        last_end = statement.end_lineno or statement.lineno
    parts: list[Part] = []
    if not groups or groups[0][0] > 1:
        end = starts[groups[0][0] - 1] if groups else len(data)
        parts.append(Part(data[:end].decode("utf-8"), [], 1))
    for index, (first, statements) in enumerate(groups):
        end = starts[groups[index + 1][0] - 1] if index + 1 < len(groups) else len(data)
        parts.append(Part(data[starts[first - 1] : end].decode("utf-8"), statements, first))
    return parts
