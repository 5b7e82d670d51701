"""OpenAPI Overlays (Overlay Specification 1.0.0): change a vendored spec without editing it.

An overlay is an ordered list of actions, each a JSONPath `target` (RFC 9535, evaluated by
`generator.adapters.jsonpath`) with an `update` (merged into each selected object, appended to
each selected array) or `remove: true` (each selected node leaves its object or array). They
apply to the spec file's own document, before `$ref`s are bundled: targets see the spec as
written, and a vendor's next release is taken as it comes, with the same overlay on top.

Merging follows the 1.0.0 text: the members of `update` are merged recursively into the
selected object (an object into an object, member by member); any other value replaces the
member of that name (an array replaces an array: the spec lets "only the complete array" be
replaced). `remove` also takes nodes that are not objects or arrays (a `default`, one entry
of `required`), as Overlay 1.1 and the common tools do; it is how a member is dropped.

Every value keeps its origin: a finding about a value an overlay supplied is located in the
overlay file, a finding about the spec's own values at their line in the spec, even after an
overlay removed array items before them (`OverlaidDocument`). An action whose target selects
nothing is a located warning (a vendor release renamed what it was written for).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import cast
from urllib.parse import unquote, urlparse

from generator.diagnostics import Diagnostic, Location, SpecError, warning
from generator.spec.pointers import JsonValue, copy_json, every_pointer, join_pointer, split_pointer
from generator.spec.yaml_source import SourceDocument, read_document

_VERSION = re.compile(r"1\.0\.\d+")
_ROOT_MEMBERS = frozenset({"overlay", "info", "extends", "actions"})
_ACTION_MEMBERS = frozenset({"target", "description", "update", "remove"})

Step = str | int


class _Origin:
    """Where a node of the overlaid document was written: a file and a pointer in it.

    Children are worked out from the parent (`pointer/key` in the same file) until an action
    touches them; only then are they kept, so an overlay costs what it changes.
    """

    __slots__ = ("children", "document", "pointer")

    def __init__(self, document: SourceDocument, pointer: str) -> None:
        self.document = document
        self.pointer = pointer
        self.children: dict[str, _Origin] | list[_Origin] | None = None

    def derived(self, step: Step) -> _Origin:
        return _Origin(self.document, join_pointer(self.pointer, step))

    def child(self, step: Step, container: JsonValue) -> _Origin:
        if isinstance(container, list):
            if not isinstance(self.children, list):
                self.children = [self.derived(index) for index in range(len(container))]
            return self.children[cast(int, step)]
        if not isinstance(self.children, dict):
            self.children = {}
        found = self.children.get(cast(str, step))
        if found is None:
            found = self.children[cast(str, step)] = self.derived(step)
        return found

    def set(self, key: str, origin: _Origin) -> None:
        if not isinstance(self.children, dict):
            self.children = {}
        self.children[key] = origin

    def append(self, container: list[JsonValue], origin: _Origin) -> None:
        if not isinstance(self.children, list):
            self.children = [self.derived(index) for index in range(len(container))]
        self.children.append(origin)

    def remove(self, step: Step, container: JsonValue) -> None:
        if isinstance(container, list):
            if not isinstance(self.children, list):
                self.children = [self.derived(index) for index in range(len(container))]
            self.children.pop(cast(int, step))
        elif isinstance(self.children, dict):
            self.children.pop(cast(str, step), None)

    def grafts(self, pointer: str, expected: tuple[SourceDocument, str] | None, out: dict[str, _Origin]) -> None:
        """Record each node whose origin is not the one its parent implies."""
        if expected is None or self.document is not expected[0] or self.pointer != expected[1]:
            out[pointer] = self
        children = self.children
        items = children.items() if isinstance(children, dict) else enumerate(children or ())
        for step, child in items:
            child.grafts(join_pointer(pointer, step), (self.document, join_pointer(self.pointer, step)), out)


class OverlaidDocument(SourceDocument):
    """The spec file's document with overlays applied, locating each value in the file that supplied it.

    `positions` is keyed by the pointers of the overlaid document (values: line and column in
    whichever file `locate` names), so the code that searches it for a value finds values
    that overlays supplied, too.
    """

    def __init__(self, base: SourceDocument, data: JsonValue, grafts: dict[str, _Origin]) -> None:
        super().__init__(base.path, base.display, base.raw, data)
        self.base = base
        self.grafts = {pointer: (origin.document, origin.pointer) for pointer, origin in grafts.items()}
        self._overlaid_positions: dict[str, tuple[int, int]] | None = None

    def _origin(self, pointer: str) -> tuple[SourceDocument, str]:
        probe = pointer
        while probe:
            graft = self.grafts.get(probe)
            if graft is not None:
                return graft[0], graft[1] + pointer[len(probe) :]
            probe = probe.rsplit("/", 1)[0]
        return self.base, pointer

    def locate(self, pointer: str) -> Location:
        document, origin = self._origin(pointer)
        return document.locate(origin)

    def locate_key(self, pointer: str) -> Location:
        document, origin = self._origin(pointer)
        return document.locate_key(origin)

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        if self._overlaid_positions is None:
            table: dict[str, tuple[int, int]] = {}
            for pointer in every_pointer(self.data):
                where = self.locate(pointer)
                if where.line is not None:
                    table[pointer] = (where.line, where.column or 1)
            self._overlaid_positions = table
        return self._overlaid_positions


# ---------------------------------------------------------------------------- reading


class _Action:
    def __init__(self, index: int, target: str, query: object, member: dict[str, JsonValue]) -> None:
        self.index = index
        self.target = target
        self.query = query
        self.remove = member.get("remove") is True
        self.has_update = "update" in member
        self.update = member.get("update")
        self.pointer = join_pointer("/actions", index)


def read_overlay(path: Path, display: str, max_bytes: int) -> tuple[SourceDocument, list[_Action]]:
    """An overlay file and its actions, every query compiled; SpecError (located) when it is no Overlay 1.0."""
    from generator.adapters.jsonpath import QueryError, compile_query

    document = read_document(path, display, max_bytes)
    data = document.data
    problems: list[Diagnostic] = []

    def fail(pointer: str, message: str, *, at_key: bool = False) -> None:
        problems.append(Diagnostic(message, document.locate_key(pointer) if at_key else document.locate(pointer)))

    if not isinstance(data, dict):
        raise SpecError.at("an overlay must be a mapping at the top level", location=document.locate(""))
    version = data.get("overlay")
    if version is None:
        if "openapi" in data or "swagger" in data:
            fail("", "this is an OpenAPI document, not an overlay: pass it as a SPEC, not with --overlay")
        else:
            fail("", "not an OpenAPI Overlay: the `overlay` member is missing")
    elif not isinstance(version, str) or not _VERSION.fullmatch(version):
        fail("/overlay", f"unsupported Overlay version {version!r}: sdkgen applies Overlay 1.0.x")
    info = data.get("info")
    if not isinstance(info, dict):
        fail("/info" if "info" in data else "", "an overlay needs `info` with a `title` and a `version`")
    else:
        for member in ("title", "version"):
            if not isinstance(info.get(member), str):
                fail(join_pointer("/info", member) if member in info else "/info", f"info.{member} must be a string")
    if "extends" in data and not isinstance(data["extends"], str):
        fail("/extends", "extends must be a string (a URI reference to the spec)")
    for key in data:
        if key not in _ROOT_MEMBERS and not key.startswith("x-"):
            fail(
                join_pointer("", key),
                f"unknown overlay member {key!r} (an Overlay 1.0 document has {_listed(_ROOT_MEMBERS)})",
                at_key=True,
            )
    raw_actions = data.get("actions")
    actions: list[_Action] = []
    if not isinstance(raw_actions, list) or not raw_actions:
        fail("/actions" if "actions" in data else "", "an overlay needs `actions`: a list of at least one action")
        raw_actions = []
    for index, member in enumerate(raw_actions):
        at = join_pointer("/actions", index)
        if not isinstance(member, dict):
            fail(at, "an action must be a mapping with a `target` and an `update` or `remove: true`")
            continue
        for key in member:
            if key == "copy":
                fail(
                    join_pointer(at, key),
                    "`copy` is Overlay 1.1, not 1.0: write the value out with `update`",
                    at_key=True,
                )
            elif key not in _ACTION_MEMBERS and not key.startswith("x-"):
                fail(
                    join_pointer(at, key),
                    f"unknown action member {key!r} (an action has {_listed(_ACTION_MEMBERS)})",
                    at_key=True,
                )
        if "remove" in member and not isinstance(member["remove"], bool):
            fail(join_pointer(at, "remove"), "remove must be true or false")
        target = member.get("target")
        if not isinstance(target, str) or not target.startswith("$"):
            fail(
                join_pointer(at, "target") if "target" in member else at,
                "an action needs a `target`: a JSONPath query starting with `$`",
            )
            continue
        try:
            query = compile_query(target)
        except QueryError as error:
            where = f" (at character {error.offset + 1})" if error.offset is not None else ""
            fail(join_pointer(at, "target"), f"target {target!r} is not RFC 9535 JSONPath: {error.message}{where}")
            continue
        actions.append(_Action(index, target, query, member))
    if problems:
        raise SpecError(problems)
    return document, actions


def _listed(names: frozenset[str]) -> str:
    return ", ".join(sorted(names)) + " and x- extensions"


# ---------------------------------------------------------------------------- applying


def apply_overlays(
    main: SourceDocument, paths: Sequence[Path], max_bytes: int
) -> tuple[SourceDocument, list[Diagnostic], dict[str, str]]:
    """`main` with `paths` applied in order: the overlaid document, warnings, and each overlay's sha256.

    The sha256s are keyed by the overlay's path relative to the spec's folder (as the package's
    manifest lists the files it was made from).
    """
    import hashlib

    if not paths:
        return main, [], {}
    data = main.data
    root = _Origin(main, "")
    warnings: list[Diagnostic] = []
    digests: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for path in paths:
        overlay, actions = read_overlay(path, path.as_posix(), max_bytes)
        digests[_relative(path, main.path)] = hashlib.sha256(overlay.raw).hexdigest()
        extends = _extends_mismatch(overlay, main)
        if extends is not None:
            warnings.append(extends)
        for action in actions:
            data = _apply(action, overlay, main, data, root, warnings, problems)
    if problems:
        raise SpecError(problems)
    grafts: dict[str, _Origin] = {}
    root.grafts("", None, grafts)
    grafts.pop("", None)
    return OverlaidDocument(main, data, grafts), warnings, digests


def _apply(
    action: _Action,
    overlay: SourceDocument,
    main: SourceDocument,
    data: JsonValue,
    root: _Origin,
    warnings: list[Diagnostic],
    problems: list[Diagnostic],
) -> JsonValue:
    from generator.adapters.jsonpath import Query

    target_at = join_pointer(action.pointer, "target")
    if not action.remove and not action.has_update:
        warnings.append(
            warning(
                "the action has neither `update` nor `remove: true`: it does nothing", overlay.locate(action.pointer)
            )
        )
        return data
    found = {location: None for location, _ in cast(Query, action.query).find(data)}
    if not found:
        warnings.append(
            warning(
                f"target {action.target!r} selects nothing in {main.display}: the action does nothing",
                overlay.locate(target_at),
            )
        )
        return data
    if action.remove:
        # Last first, so that removing an array item does not move the ones still to remove.
        for location in sorted(found, key=_order, reverse=True):
            if not location:
                problems.append(
                    Diagnostic("`remove` cannot remove the whole document (target `$`)", overlay.locate(target_at))
                )
                continue
            parent_value, parent_origin = _walk(data, root, location[:-1])
            parent_origin.remove(location[-1], parent_value)
            del parent_value[location[-1]]
        return data
    update_at = join_pointer(action.pointer, "update")
    for location in found:
        value, origin = _walk(data, root, location)
        if isinstance(value, dict):
            if not isinstance(action.update, dict):
                problems.append(
                    Diagnostic(
                        f"target {action.target!r} selects an object ({_normalized(location)}): `update` must be "
                        "an object to merge into it",
                        overlay.locate(update_at),
                    )
                )
                return data
            _merge(value, origin, action.update, overlay, update_at)
        elif isinstance(value, list):
            origin.append(value, _Origin(overlay, update_at))
            value.append(copy_json(action.update))
        else:
            problems.append(
                Diagnostic(
                    f"target {action.target!r} selects a {_kind(value)} ({_normalized(location)}): an `update` target "
                    "must be an object or an array; select the object that holds the value and update its member",
                    overlay.locate(target_at),
                )
            )
            return data
    return data


def _merge(
    target: dict[str, JsonValue], origin: _Origin, update: dict[str, JsonValue], overlay: SourceDocument, at: str
) -> None:
    """Merge `update` into `target` recursively (objects member by member; anything else replaces)."""
    for key, value in update.items():
        member_at = join_pointer(at, key)
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            _merge(current, origin.child(key, target), value, overlay, member_at)
        else:
            target[key] = copy_json(value)
            origin.set(key, _Origin(overlay, member_at))


def apply_action(data: JsonValue, target: str, *, update: JsonValue = None, remove: bool = False) -> int:
    """Apply one action to plain data, as an overlay would (no origins kept); the number of nodes selected.

    For actions sdkgen writes itself (`generator.spec.lenient`), which are applied in memory
    and printed as an overlay that must do exactly the same.
    """
    from generator.adapters.jsonpath import compile_query

    found = list(dict.fromkeys(location for location, _ in compile_query(target).find(data)))
    if remove:
        for location in sorted(found, key=_order, reverse=True):
            parent = data
            for step in location[:-1]:
                parent = parent[step]
            del parent[location[-1]]
        return len(found)
    for location in found:
        value = data
        for step in location:
            value = value[step]
        if isinstance(value, dict) and isinstance(update, dict):
            _merge_plain(value, update)
        elif isinstance(value, list):
            value.append(copy_json(update))
        else:
            raise ValueError(f"{target}: an update needs an object (with an object update) or an array")
    return len(found)


def _merge_plain(target: dict[str, JsonValue], update: dict[str, JsonValue]) -> None:
    for key, value in update.items():
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            _merge_plain(current, value)
        else:
            target[key] = copy_json(value)


def _walk(data: JsonValue, root: _Origin, location: tuple[Step, ...]) -> tuple[JsonValue, _Origin]:
    value, origin = data, root
    for step in location:
        origin = origin.child(step, value)
        value = value[step]
    return value, origin


def _order(location: tuple[Step, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((1, step, "") if isinstance(step, int) else (0, 0, step) for step in location)


def _kind(value: JsonValue) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return "string" if isinstance(value, str) else "number"


def _normalized(location: tuple[Step, ...]) -> str:
    return normalized_path(location)


_ESCAPES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "'": "\\'", "\\": "\\\\"}


def _escape_name(name: str) -> str:
    return "".join(_ESCAPES.get(char, f"\\u{ord(char):04x}" if ord(char) < 0x20 else char) for char in name)


def normalized_path(location: Sequence[Step]) -> str:
    """The RFC 9535 normalized path of a node (`$['paths']['/pets']['get']`): a target that selects it alone."""
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f"['{_escape_name(step)}']" for step in location)


def location_of(document: JsonValue, pointer: str) -> tuple[Step, ...]:
    """The JSONPath location of the value at `pointer` (array indices as numbers); KeyError if none."""
    steps: list[Step] = []
    value = document
    for token in split_pointer(pointer):
        if isinstance(value, list) and token.isdigit() and int(token) < len(value):
            steps.append(int(token))
            value = value[int(token)]
        elif isinstance(value, dict) and token in value:
            steps.append(token)
            value = value[token]
        else:
            raise KeyError(pointer)
    return tuple(steps)


def _relative(path: Path, spec: Path) -> str:
    return Path(os.path.relpath(path.resolve(), spec.resolve().parent)).as_posix()


def _extends_mismatch(overlay: SourceDocument, main: SourceDocument) -> Diagnostic | None:
    """A warning when `extends` names a local file other than the spec the overlay is applied to."""
    extends = overlay.data.get("extends") if isinstance(overlay.data, dict) else None
    if not isinstance(extends, str) or not extends:
        return None
    parsed = urlparse(extends)
    if parsed.scheme not in ("", "file") or parsed.netloc:
        return None  # a URL: which local copy it is, only the user knows
    named = (overlay.path.resolve().parent / unquote(parsed.path)).resolve()
    if named == main.path.resolve():
        return None
    return warning(
        f"extends names {extends!r}, but the overlay is applied to {main.display}", overlay.locate("/extends")
    )
