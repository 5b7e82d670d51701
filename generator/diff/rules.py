"""The wire rules: what an operation, its parameters, bodies, responses and security now ask of a
client and promise it, compared with before.

The IR says which operations, parameters and media types there are (paired by
`generator.diff.pairing`); the schemas are compared on the bundled documents themselves
(`generator.diff.schemas`), so every finding carries a JSON pointer the source map can turn
into FILE:LINE:COL: in NEW for what changed or was added, in OLD for what is gone.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff.findings import Finding, Side
from generator.diff.keywords import Unchanged
from generator.diff.pairing import Pairing, pair_parameters, path_shape
from generator.diff.schemas import SchemaComparer
from generator.diff.sources import JsonValue, Loaded, Operation, join, schema_at

_REF_LIMIT = 64


def wire_findings(old: Loaded, new: Loaded, pairing: Pairing, unchanged: Unchanged | None = None) -> list[Finding]:
    rules = _WireRules(old, new, unchanged)
    rules.operations(pairing)
    rules.servers()
    rules.security_schemes()
    return rules.findings


def _label(op: Operation) -> str:
    return f"{op.method.upper()} {op.path}"


class _WireRules:
    def __init__(self, old: Loaded, new: Loaded, unchanged: Unchanged | None = None) -> None:
        self.old = old
        self.new = new
        self.findings: list[Finding] = []
        self.schemas = SchemaComparer(old.document, new.document, self.findings.append, unchanged)

    def add(self, rule_id: str, message: str, side: Side, pointer: str) -> None:
        self.findings.append(Finding(rule_id, message, side, pointer))

    def document(self, side: Side) -> JsonValue:
        return self.old.document if side == "old" else self.new.document

    # ------------------------------------------------------------------ operations

    def operations(self, pairing: Pairing) -> None:
        new_paths = self.new.document.get("paths") or {}
        live_shapes = {path_shape(path) for path in new_paths}
        reported_paths: set[str] = set()
        for op in pairing.removed:
            if path_shape(op.path) not in live_shapes:
                if op.path not in reported_paths:
                    reported_paths.add(op.path)
                    self.add("path-removed", f"path {op.path} removed", "old", join("/paths", op.path))
            else:
                self.add("operation-removed", f"{_label(op)} ({op.python_name}()) removed", "old", op.pointer)
        for op in pairing.added:
            self.add("operation-added", f"{_label(op)} ({op.python_name}()) added", "new", op.pointer)
        for old, new in pairing.pairs:
            self.operation(old, new)

    def operation(self, old: Operation, new: Operation) -> None:
        label = _label(new)
        if old.method != new.method:
            self.add("operation-method-changed", f"{old.operation_id}: {_label(old)} -> {label}", "new", new.pointer)
        elif path_shape(old.path) != path_shape(new.path):
            self.add("operation-path-changed", f"{old.operation_id}: {_label(old)} -> {label}", "new", new.pointer)
        if old.operation_id != new.operation_id and old.python_name != new.python_name:
            message = (
                f"{label}: operationId {old.operation_id} -> {new.operation_id} "
                f"(method {old.python_name}() is now {new.python_name}())"
            )
            self.add("operation-id-changed", message, "new", join(new.pointer, "operationId"))
        if new.deprecated and not old.deprecated:
            self.add("deprecated-added", f"{label} is deprecated", "new", join(new.pointer, "deprecated"))
        self.parameters(old, new, label)
        self.body(old, new, label)
        self.responses(old, new, label)
        self.security(old, new, label)

    def parameters(self, old: Operation, new: Operation, label: str) -> None:
        pairs, removed, added = pair_parameters(old, new)
        for parameter in removed:
            moved = next((p for p in added if p.name == parameter.name), None)
            if moved is not None:
                added.remove(moved)
                text = f"{label}: parameter {parameter.name} moved from {parameter.location} to {moved.location}"
                self.add("parameter-moved", text, "new", moved.pointer)
            else:
                text = f"{label}: {parameter.location} parameter {parameter.name} removed"
                self.add("parameter-removed", text, "old", parameter.pointer)
        for parameter in added:
            text = f"{label}: new {parameter.location} parameter {parameter.name}"
            if parameter.required:
                self.add("parameter-added-required", text + ", required", "new", parameter.pointer)
            else:
                self.add("request-widened", text + ", optional", "new", parameter.pointer)
        for before, after in pairs:
            name = f"{label}: parameter {after.name}"
            if after.required and not before.required:
                self.add("parameter-made-required", f"{name} is now required", "new", after.pointer)
            elif before.required and not after.required:
                self.add("request-widened", f"{name} is no longer required", "new", after.pointer)
            if after.deprecated and not before.deprecated:
                self.add("deprecated-added", f"{name} is deprecated", "new", after.pointer)
            if (before.style, before.explode) != (after.style, after.explode):
                text = f"{name}: style {before.style}/explode {before.explode} -> {after.style}/explode {after.explode}"
                self.add("parameter-style-changed", text, "new", after.pointer)
            elif (before.allow_reserved, before.media_type) != (after.allow_reserved, after.media_type):
                text = (
                    f"{name}: allowReserved {before.allow_reserved}/content {before.media_type} -> "
                    f"allowReserved {after.allow_reserved}/content {after.media_type}"
                )
                self.add("parameter-style-changed", text, "new", after.pointer)
            old_at = before.schema_pointer or join(before.pointer, "schema")
            new_at = after.schema_pointer or join(after.pointer, "schema")
            old_schema = schema_at(self.old.document, old_at)
            new_schema = schema_at(self.new.document, new_at)
            self.schemas.compare(
                old_schema or {}, old_at, new_schema or {}, new_at, "parameter", f"parameter {after.name}"
            )

    # ------------------------------------------------------------------ bodies

    def body(self, old: Operation, new: Operation, label: str) -> None:
        before, old_at = self.member("old", old, "requestBody")
        after, new_at = self.member("new", new, "requestBody")
        if before is None and after is None:
            return
        if before is None:
            if after is not None and after.get("required") is True:
                self.add("request-body-made-required", f"{label}: a required body was added", "new", new_at)
            else:
                self.add("request-widened", f"{label}: an optional body was added", "new", new_at)
            return
        if after is None:
            self.add("request-body-removed", f"{label}: the body was removed", "old", old_at)
            return
        if after.get("required") is True and before.get("required") is not True:
            self.add("request-body-made-required", f"{label}: the body is now required", "new", new_at)
        elif before.get("required") is True and after.get("required") is not True:
            self.add("request-widened", f"{label}: the body is no longer required", "new", new_at)
        chosen_old = old.body.content_type if old.body else None
        chosen_new = new.body.content_type if new.body else None
        old_content, new_content = _content(before), _content(after)
        if chosen_old is not None and chosen_new is not None and chosen_old != chosen_new:
            text = f"{label}: the body is sent as {chosen_new} (was {chosen_old})"
            self.add("request-media-type-changed", text, "new", join(new_at, "content", chosen_new))
        for media in old_content:
            if media not in new_content and media != chosen_old:
                text = f"{label}: the body is no longer accepted as {media}"
                self.add("request-media-type-changed", text, "old", join(old_at, "content", media))
        for media in new_content:
            if media not in old_content and media != chosen_new:
                self.add(
                    "request-widened",
                    f"{label}: the body is also accepted as {media}",
                    "new",
                    join(new_at, "content", media),
                )
        if chosen_old in old_content and chosen_new in new_content:
            assert chosen_old is not None and chosen_new is not None
            self.media_schemas(
                old_at, chosen_old, new_at, chosen_new, old_content, new_content, "request", f"{label} body"
            )

    def media_schemas(
        self,
        old_at: str,
        old_media: str,
        new_at: str,
        new_media: str,
        old_content: dict[str, JsonValue],
        new_content: dict[str, JsonValue],
        scope: str,
        label: str,
    ) -> None:
        old_node, new_node = old_content[old_media], new_content[new_media]
        if not isinstance(old_node, dict) or not isinstance(new_node, dict):
            return
        if "schema" not in old_node and "schema" not in new_node:
            return
        self.schemas.compare(
            old_node.get("schema", {}),
            join(old_at, "content", old_media, "schema"),
            new_node.get("schema", {}),
            join(new_at, "content", new_media, "schema"),
            "request" if scope == "request" else "response",
            label,
        )

    # ------------------------------------------------------------------ responses

    def responses(self, old: Operation, new: Operation, label: str) -> None:
        before = dict(self.statuses("old", old))
        after = dict(self.statuses("new", new))
        chosen_old = {_status(r.status): r.content_type for r in old.responses}
        chosen_new = {_status(r.status): r.content_type for r in new.responses}
        for status, (_, at) in before.items():
            if status in after:
                continue
            if status.startswith("2"):
                self.add("response-status-removed", f"{label}: response {status} removed", "old", at)
            else:  # an error the server promises not to send any more: nothing to handle
                self.add("response-narrowed", f"{label}: error response {status} removed", "old", at)
        for status, (_, at) in after.items():
            if status not in before:
                self.add("response-status-added", f"{label}: new response {status}", "new", at)
        for status, (node, new_at) in after.items():
            if status not in before:
                continue
            old_node, old_at = before[status]
            self.response(label, status, old_node, old_at, node, new_at, chosen_old.get(status), chosen_new.get(status))

    def response(
        self,
        label: str,
        status: str,
        before: dict[str, JsonValue],
        old_at: str,
        after: dict[str, JsonValue],
        new_at: str,
        chosen_old: str | None,
        chosen_new: str | None,
    ) -> None:
        name = f"{label} {status} response"
        old_content, new_content = _content(before), _content(after)
        if old_content and not new_content:
            self.add("response-media-type-changed", f"{name}: no longer has a body", "old", join(old_at, "content"))
            return
        if new_content and not old_content:
            self.add("response-media-type-added", f"{name}: now has a body", "new", join(new_at, "content"))
            return
        if chosen_old is not None and chosen_new is not None and chosen_old != chosen_new:
            text = f"{name}: comes as {chosen_new} (was {chosen_old})"
            self.add("response-media-type-changed", text, "new", join(new_at, "content", chosen_new))
        for media in old_content:
            if media not in new_content and media != chosen_old:
                self.add(
                    "response-media-type-changed",
                    f"{name}: no longer comes as {media}",
                    "old",
                    join(old_at, "content", media),
                )
        for media in new_content:
            if media not in old_content and media != chosen_new:
                self.add(
                    "response-media-type-added",
                    f"{name}: may also come as {media}",
                    "new",
                    join(new_at, "content", media),
                )
        if chosen_old in old_content and chosen_new in new_content:
            assert chosen_old is not None and chosen_new is not None
            self.media_schemas(old_at, chosen_old, new_at, chosen_new, old_content, new_content, "response", name)

    def statuses(self, side: Side, op: Operation) -> Iterator[tuple[str, tuple[dict[str, JsonValue], str]]]:
        node = schema_at(self.document(side), op.pointer)
        declared = node.get("responses") if isinstance(node, dict) else None
        if not isinstance(declared, dict):
            return
        for status, raw in declared.items():
            value, at = self.deref(side, raw, join(op.pointer, "responses", status))
            if isinstance(value, dict):
                yield _status(str(status)), (value, at)

    # ------------------------------------------------------------------ security and servers

    def security(self, old: Operation, new: Operation, label: str) -> None:
        before = {frozenset(alternative) for alternative in old.security}
        after = {frozenset(alternative) for alternative in new.security}
        if before == after:
            return
        node = schema_at(self.new.document, new.pointer)
        if isinstance(node, dict) and "security" in node:
            at = join(new.pointer, "security")
        else:
            at = "/security" if "security" in self.new.document else new.pointer
        anonymous_before = not before or frozenset() in before
        anonymous_after = not after or frozenset() in after
        if anonymous_before and not anonymous_after:
            self.add(
                "security-requirement-added", f"{label}: now needs credentials ({_alternatives(after)})", "new", at
            )
            return
        lost = before - after - {frozenset()}
        if lost and not anonymous_after:
            text = f"{label}: no longer accepts {_alternatives(lost)} (accepts {_alternatives(after)})"
            self.add("security-requirement-changed", text, "new", at)
        elif after - before or anonymous_after:
            self.add("request-widened", f"{label}: accepts more credentials ({_alternatives(after)})", "new", at)

    def security_schemes(self) -> None:
        before = {scheme.key: scheme for scheme in self.old.api.security_schemes}
        for scheme in self.new.api.security_schemes:
            old = before.get(scheme.key)
            if old is None:
                continue
            was = (old.kind, old.location, old.parameter_name.lower(), old.http_scheme)
            now = (scheme.kind, scheme.location, scheme.parameter_name.lower(), scheme.http_scheme)
            if was != now:
                text = f"security scheme {scheme.key}: sent as {_scheme_text(now)} (was {_scheme_text(was)})"
                self.add("security-scheme-changed", text, "new", join("/components/securitySchemes", scheme.key))

    def servers(self) -> None:
        before, after = _default_url(self.old.document), _default_url(self.new.document)
        if before == after:
            return
        if after is None:
            self.add("server-url-changed", f"the default server {before} was removed", "old", "/servers")
        else:
            self.add(
                "server-url-changed", f"the default server is {after} (was {before or 'none'})", "new", "/servers/0/url"
            )

    # ------------------------------------------------------------------ helpers

    def member(self, side: Side, op: Operation, key: str) -> tuple[dict[str, JsonValue] | None, str]:
        node = schema_at(self.document(side), op.pointer)
        at = join(op.pointer, key)
        if not isinstance(node, dict) or key not in node:
            return None, at
        value, at = self.deref(side, node[key], at)
        return (value if isinstance(value, dict) else None), at

    def deref(self, side: Side, value: JsonValue, at: str) -> tuple[JsonValue, str]:
        """Follow `$ref`s of non-schema objects (request bodies, responses)."""
        document = self.document(side)
        for _ in range(_REF_LIMIT):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                break
            target = value["$ref"][1:]
            resolved = schema_at(document, target)
            if resolved is None:
                break
            value, at = resolved, target
        return value, at


def _status(status: str) -> str:
    """`2xx` and `2XX` are one range; `default` stays as written."""
    return status if status == "default" else status.upper()


def _content(node: dict[str, JsonValue]) -> dict[str, JsonValue]:
    content = node.get("content")
    return content if isinstance(content, dict) else {}


def _alternatives(alternatives: set[frozenset[str]]) -> str:
    texts = sorted(" + ".join(sorted(a)) if a else "anonymous" for a in alternatives)
    return " or ".join(texts) if texts else "anonymous"


def _scheme_text(scheme: tuple[str, str, str, str | None]) -> str:
    kind, location, name, http_scheme = scheme
    return f"{http_scheme} {kind}" if kind == "http" else f"{kind} in {location} {name}"


def _default_url(document: JsonValue) -> str | None:
    servers = document.get("servers") if isinstance(document, dict) else None
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return None
    server = servers[0]
    url = server.get("url")
    if not isinstance(url, str):
        return None
    variables = server.get("variables")
    if isinstance(variables, dict):
        for name, variable in variables.items():
            if isinstance(variable, dict) and "default" in variable:
                url = url.replace("{" + name + "}", str(variable["default"]))
    return url
