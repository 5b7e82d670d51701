"""Client view: what the client module imports is decided from the IR and the view's annotations."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.emit.client import ClientView, client_view
from generator.execute.executor import emit_package
from generator.ir.parse import build_api
from generator.spec import load_spec


def view_of(tmp_path: Path, spec: str) -> ClientView:
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(spec))
    return client_view(build_api(load_spec(path)))


PINGS = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /ping:
    get:
      operationId: ping
      parameters:
        - {name: mode, in: query, schema: {type: string, enum: [Any, Mapping]}}
      responses:
        '101':
          description: switching (a model the client never parses)
          content: {application/json: {schema: {$ref: '#/components/schemas/Pong'}}}
        '204': {description: no content}
components:
  schemas:
    Pong: {type: object, properties: {at: {type: string}}}
"""


def test_names_inside_literals_import_nothing(tmp_path: Path) -> None:
    view = view_of(tmp_path, PINGS)
    assert view.operations[0].params[0].annotation == "Literal['Any', 'Mapping'] | None"
    assert view.typing_imports == ("Literal",)
    assert view.uses_validators  # the parameter is checked by the compiled validators, like a body


def test_a_model_only_an_unparsed_status_names_is_not_imported(tmp_path: Path) -> None:
    view = view_of(tmp_path, PINGS)
    assert view.operations[0].models == () and not view.uses_models


def test_the_client_module_imports_what_it_uses(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(PINGS))
    client = emit_package(build_api(load_spec(path)))["client.py"]
    imports = client.split("__all__")[0]
    assert "from typing import Literal\n" in imports
    assert "_models" not in client and "import re\n" not in imports
    assert "from . import validators as _validators\n" in imports


def test_without_bodies_or_parameters_the_validators_are_not_imported(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(PINGS.replace("parameters:", "x-parameters:"))
    client = emit_package(build_api(load_spec(path)))["client.py"]
    assert "_validators" not in client and "check_parameters" not in client


BODIES = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{id}:
    put:
      operationId: putThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: '^[a-z]+$'}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
      responses:
        '200':
          description: the thing
          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
        '4XX':
          description: a client error
          content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}
        default:
          description: anything else
          content: {application/json: {}}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
    Problem: {type: object, properties: {detail: {type: string}}}
"""


def test_bodies_are_checked_by_the_compiled_validators(tmp_path: Path) -> None:
    view = view_of(tmp_path, BODIES)
    body = view.operations[0].body
    assert body is not None
    assert body.validator == "_validators.validate_thing" and body.model == "_models.Thing"
    assert view.uses_validators and view.uses_models
    [check] = view.operations[0].checks
    assert (check.location, check.function) == ("path", "validate_put_thing_path_parameters")
    assert [p.wire_name for p in check.params] == ["id"]
    assert view.operations[0].models == ("Thing", "Problem")
    assert body.annotation == "_models.Thing | _models.ThingDict"  # a mapping of its wire shape
    assert view.typing_imports == ()


def test_responses_are_checked_by_the_validators_of_their_schema(tmp_path: Path) -> None:
    op = view_of(tmp_path, BODIES).operations[0]
    assert op.success == ((200, "_runtime.Model(_models.Thing, _validators.validate_thing)"),)
    assert op.error_ranges == ((4, "_models.Problem"),) and op.error_default == '"json"'
    assert op.return_annotation == op.returns_sync == op.returns_async == "_models.Thing"
    assert op.accept == "application/json" and op.pagination is None


MEDIA = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /report:
    put:
      operationId: putReport
      requestBody:
        required: true
        content: {application/pdf: {schema: {type: string, format: binary}}}
      responses:
        '200': {description: the pdf, content: {application/pdf: {schema: {type: string, format: binary}}}}
        '201': {description: a note, content: {text/plain; charset=utf-8: {schema: {type: string}}}}
        '404': {description: none, content: {application/problem+json: {schema: {$ref: '#/components/schemas/P'}}}}
  /kind:
    get:
      operationId: getKind
      responses:
        '200': {description: a kind, content: {application/json: {schema: {$ref: '#/components/schemas/Kind'}}}}
  /ticks:
    get:
      operationId: ticks
      responses:
        '200': {description: events, content: {text/event-stream: {schema: {$ref: '#/components/schemas/P'}}}}
  /raw:
    get:
      operationId: raw
      responses:
        '200': {description: events, content: {text/event-stream: {}}}
components:
  schemas:
    P: {type: object, properties: {detail: {type: string}}}
    Kind: {type: string, enum: [a, b]}
"""


def test_media_types_decide_bodies_returns_and_accept(tmp_path: Path) -> None:
    put, kind, ticks, raw = view_of(tmp_path, MEDIA).operations
    assert put.body is not None and put.body.encoder == "_runtime.raw_body('application/pdf')"
    assert put.body.annotation == "_runtime.RawContent" and put.body.validator == "_runtime.accept_any"
    assert put.success == ((200, "_runtime.BYTES"), (201, "_runtime.TEXT"))
    assert put.return_annotation == "bytes | str"
    assert put.accept == "application/pdf, text/plain; charset=utf-8, application/problem+json"
    assert kind.return_annotation == "_models.Kind | str"  # an open enum
    assert ticks.return_annotation == "Any"
    assert (ticks.returns_sync, ticks.returns_async) == ("Stream[_models.P]", "AsyncStream[_models.P]")
    assert ticks.success == ((200, "_runtime.EventStream(_runtime.Model(_models.P, _validators.validate_p))"),)
    assert (raw.returns_sync, raw.accept) == ("Stream[ServerSentEvent]", "text/event-stream")


def test_a_paginated_operation_returns_pages(tmp_path: Path) -> None:
    spec = Path(__file__).resolve().parents[1] / "data" / "client" / "pages.yaml"
    todos = client_view(build_api(load_spec(spec))).operations[0]
    assert todos.pagination is not None
    assert todos.pagination.source == (
        "_runtime.Pagination(style='cursor', items='/data', item=_runtime.Model(_models.Todo, "
        "_validators.validate_todo), cursor_param='cursor', next_cursor='/next_cursor')"
    )
    assert (todos.returns_sync, todos.returns_async) == ("SyncPage[_models.Todo]", "AsyncPaginator[_models.Todo]")
    assert todos.parsed_sync == todos.return_annotation == "_models.ListTodosResponse"


DIRECTIONAL = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
      responses:
        '201': {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Thing:
      type: object
      required: [id, secret]
      properties:
        id: {type: string, readOnly: true}
        secret: {type: string, writeOnly: true}
        name: {type: string}
"""


def test_a_view_without_directional_members_has_the_same_signatures(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(DIRECTIONAL))
    api = build_api(load_spec(path))
    full = client_view(api).operations[0]
    lean = client_view(api, with_examples=False, directional=False).operations[0]
    assert full.body is not None and lean.body is not None
    # The full view drops readOnly members from the body it sends and unrequires writeOnly ones
    # in what it parses; the lean one does neither, and types the method exactly the same.
    assert full.body.check is not None and "without_read_only" in full.body.check and "'id'" in full.body.check
    assert lean.body.check is None and lean.body.validator == "_validators.validate_thing"
    assert "not_required" in full.success[0][1] and "'secret'" in full.success[0][1]
    assert lean.success == ((201, "_runtime.Model(_models.Thing, _validators.validate_thing)"),)
    assert (lean.body.annotation, lean.return_annotation) == (full.body.annotation, full.return_annotation)
    assert (lean.params, lean.returns_sync, lean.doc) == (full.params, full.returns_sync, full.doc)


def test_directional_members_are_found_through_cycles_and_only_where_they_are(tmp_path: Path) -> None:
    """The walk skips subschemas that reach no marked member; a member reached only through a
    cycle (a node's child leads back to it) is still found, at every path it sits on."""
    from generator.emit.wire_types import read_only_members, write_only_members

    spec = tmp_path / "api.yaml"
    spec.write_text(
        textwrap.dedent(
            """
            openapi: 3.1.0
            info: {title: t, version: "1"}
            paths: {}
            components:
              schemas:
                Node:
                  type: object
                  properties:
                    id: {type: string, readOnly: true}
                    children: {type: array, items: {$ref: "#/components/schemas/Wrapper"}}
                    plain: {$ref: "#/components/schemas/Plain"}
                Wrapper:
                  type: object
                  properties:
                    node: {$ref: "#/components/schemas/Node"}
                Plain:
                  type: object
                  properties: {a: {type: string}, b: {type: integer}}
            """
        ),
        encoding="utf-8",
    )
    api = build_api(load_spec(spec, "api.yaml"))
    wrapper = {"$ref": "#/components/schemas/Wrapper"}
    found = read_only_members(api, wrapper)
    assert (("node",), "id") in found
    assert (("node", "children", "*", "node"), "id") in found  # through the cycle, one turn deeper
    assert all("plain" not in path for path, _ in found)
    assert read_only_members(api, {"$ref": "#/components/schemas/Plain"}) == []
    assert write_only_members(api, wrapper) == []
