"""Unions, nulls and additions inside unions, against `tests/data/client/unions.yaml`.

- A `oneOf`/`anyOf` of models is a type alias of their union: an operation returns the `Circle`
  or the `Square` itself (no root model, no `.root`), a body takes either, and a model's member
  of that type holds the branch model.
- A member that may be left out but is not nullable refuses an explicit None when the model is
  made (`Note(title=None)`), while a nullable one takes it.
- An enum value an API adds inside a union's branch parses with a warning, like one anywhere
  else (the branch is found by the discriminator, or as the one branch that fails only by the
  addition); `strict_responses=True` still raises.
"""

from __future__ import annotations

import inspect
import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest
from client_support import FLAVOURS, call, generated_package
from local_server import LocalServer, Reply, Request, json_reply

SPEC = Path(__file__).resolve().parent / "data" / "client" / "unions.yaml"


@pytest.fixture(scope="module")
def unions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "unions") as package:
        yield package


def answering(payload: object, sent: list[httpx.Request] | None = None) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        if sent is not None:
            sent.append(request)
        return httpx.Response(200, json=payload)

    return handler


# ---------------------------------------------------------------------------- unions


def test_a_union_of_models_is_a_type_alias_not_a_root_model(unions: ModuleType) -> None:
    models = unions.models
    for name in ("Shape", "Pet", "Label"):
        alias = getattr(models, name)
        assert not isinstance(alias, type), name  # no class: nothing to reach through `.root`
        assert alias.__name__ == name
    assert "RootModel" not in Path(models.__file__).read_text(encoding="utf-8")
    assert models.Shape.__doc__ is None or "RootModel" not in models.Shape.__doc__


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_union_response_is_the_branch_model_itself(unions: ModuleType, flavour: str) -> None:
    models = unions.models
    circle = call(flavour, unions, "get_shape", handler=answering({"kind": "circle", "radius": 2}), shape_id="s1")
    assert type(circle) is models.Circle and circle.radius == 2
    square = call(flavour, unions, "get_shape", handler=answering({"kind": "square", "side": 1}), shape_id="s1")
    assert type(square) is models.Square
    dog = call(flavour, unions, "get_pet", handler=answering({"name": "Rex", "barks": True}), pet_id="p")
    assert type(dog) is models.Dog and dog.barks is True
    label = call(flavour, unions, "get_label", handler=answering("plain"), label_id="l")
    assert label == "plain"
    cat = call(flavour, unions, "get_label", handler=answering({"name": "Tom", "meows": True}), label_id="l")
    assert type(cat) is models.Cat


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_union_body_takes_either_model_or_its_wire_shape(unions: ModuleType, flavour: str) -> None:
    sent: list[httpx.Request] = []
    reply = answering({"kind": "square", "side": 3}, sent)
    models = unions.models
    for body in (models.Circle(kind="circle", radius=1.5), {"kind": "circle", "radius": 1.5}):
        result = call(flavour, unions, "create_shape", handler=reply, body=body)
        assert type(result) is models.Square
    assert [json.loads(request.content) for request in sent] == [{"kind": "circle", "radius": 1.5}] * 2
    with pytest.raises(unions.RequestValidationError):
        call(flavour, unions, "create_shape", handler=reply, body={"kind": "circle"})


def test_members_typed_by_a_union_hold_the_branch_models(unions: ModuleType) -> None:
    models = unions.models
    payload = {
        "main": {"kind": "circle", "radius": 1},
        "others": [{"kind": "square", "side": 2}, {"kind": "circle", "radius": 3}],
        "pet": {"name": "Tom", "meows": False},
    }
    drawing = call("sync", unions, "get_drawing", handler=answering(payload), drawing_id="d")
    assert type(drawing.main) is models.Circle
    assert [type(shape) for shape in drawing.others] == [models.Square, models.Circle]
    assert type(drawing.pet) is models.Cat
    assert drawing.model_dump(mode="json", by_alias=True, exclude_unset=True) == payload


def test_a_union_webhook_payload_is_the_branch_model(unions: ModuleType) -> None:
    shape = unions.webhooks.parse_shape_drawn(b'{"kind": "square", "side": 4}')
    assert type(shape) is unions.models.Square


def test_the_readme_shows_a_union_result_without_root(unions: ModuleType) -> None:
    readme = (Path(unions.__file__).parent / "README.md").read_text(encoding="utf-8")
    assert ".root" not in readme
    assert "Returns `models.Shape`" in readme


def test_user_code_narrows_a_union_result(unions: ModuleType) -> None:
    """mypy --strict on the package and on code that uses a union the way a user would."""
    (unions.out_dir / "use_unions.py").write_text(
        textwrap.dedent(
            """
            from unions import Client, models


            def radius(client: Client) -> float:
                shape = client.get_shape(shape_id="s1")
                if isinstance(shape, models.Circle):
                    return shape.radius
                return shape.side


            def draw(client: Client) -> None:
                client.create_shape(body=models.Square(kind="square", side=1.0))
                client.create_shape(body={"kind": "circle", "radius": 1.0})
                label: models.Cat | str = client.get_label(label_id="l")
                print(label)
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "unions", "use_unions.py"],
        capture_output=True,
        text=True,
        check=False,
        cwd=unions.out_dir,
    )
    assert result.returncode == 0, result.stdout


# ---------------------------------------------------------------------------- optional, never null


def test_an_optional_member_that_is_not_nullable_refuses_none(unions: ModuleType) -> None:
    note = unions.models.Note
    with pytest.raises(pydantic.ValidationError, match=r"title\n  Value error, may be omitted, but not null"):
        note(title=None)
    with pytest.raises(pydantic.ValidationError, match="may be omitted, but not null"):
        note.model_validate({"color": None})
    with pytest.raises(pydantic.ValidationError, match="may be omitted, but not null"):
        note.model_validate({"tags": None})
    assert note().title is None  # left out: reads as None
    assert note().model_dump(mode="json", by_alias=True, exclude_unset=True) == {}
    nullable = note(body=None)  # `type: [string, "null"]` takes null, and keeps it
    assert nullable.model_dump(mode="json", by_alias=True, exclude_unset=True) == {"body": None}
    assert note(title="x").title == "x"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_null_the_schema_refuses_in_a_response_is_a_mismatch(unions: ModuleType, flavour: str) -> None:
    with pytest.raises(unions.APIResponseValidationError, match="/title"):
        call(flavour, unions, "get_note", handler=answering({"title": None}), note_id="n")
    note = call(flavour, unions, "get_note", handler=answering({"body": None}), note_id="n")
    assert note.body is None and note.model_dump(exclude_unset=True) == {"body": None}


# ---------------------------------------------------------------------------- additions inside a union


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    ("method", "arguments", "payload", "model"),
    [
        ("get_shape", {"shape_id": "s"}, {"kind": "circle", "radius": 1, "color": "purple"}, "Circle"),
        ("get_pet", {"pet_id": "p"}, {"name": "Tom", "meows": True, "color": "purple"}, "Cat"),
        ("get_label", {"label_id": "l"}, {"name": "Tom", "meows": True, "color": "purple"}, "Cat"),
    ],
)
def test_an_enum_value_added_inside_a_union_branch_parses_with_a_warning(
    unions: ModuleType,
    flavour: str,
    method: str,
    arguments: dict[str, Any],
    payload: dict[str, Any],
    model: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="unions"):
        result = call(flavour, unions, method, handler=answering(payload), **arguments)
    assert type(result) is getattr(unions.models, model) and result.color == "purple"
    assert "/color" in caplog.text and "[enum]" in caplog.text
    with pytest.raises(unions.APIResponseValidationError, match=r"/color: .*\[enum\]"):
        call(
            flavour,
            unions,
            method,
            handler=answering(payload),
            client_options={"strict_responses": True},
            **arguments,
        )


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_value_no_branch_takes_still_fails(unions: ModuleType, flavour: str) -> None:
    with pytest.raises(unions.APIResponseValidationError, match="oneOf"):  # a wrong type: no branch
        call(flavour, unions, "get_pet", handler=answering({"name": "Tom", "meows": "yes"}), pet_id="p")
    with pytest.raises(unions.APIResponseValidationError, match="oneOf"):  # both branches need an addition
        call(flavour, unions, "get_pet", handler=answering({"name": "Tom", "meows": True, "barks": True}), pet_id="p")
    with pytest.raises(unions.APIResponseValidationError, match="discriminator"):  # a new kind of shape
        call(flavour, unions, "get_shape", handler=answering({"kind": "triangle", "side": 1}), shape_id="s")


def test_requests_with_such_a_value_are_still_refused(unions: ModuleType) -> None:
    issues = unions.validators.validate_pet({"name": "Tom", "meows": True, "color": "purple"})
    assert [(issue.pointer, issue.keyword) for issue in issues] == [("/color", "enum")]  # names the value
    with pytest.raises(unions.RequestValidationError):
        call("sync", unions, "create_shape", handler=answering({}), body={"kind": "circle", "radius": 1, "color": "x"})


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_against_a_real_server_a_union_response_with_an_addition_parses(
    unions: ModuleType, flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Over HTTP on 127.0.0.1 (not a mock transport): the branch model, with a warning; strict raises."""
    bodies = {
        "/pets/1": {"name": "Tom", "meows": True, "color": "purple"},
        "/shapes/1": {"kind": "square", "side": 2, "color": "blue"},
    }

    def route(request: Request) -> Reply:
        return json_reply(json.dumps(bodies[request.route]))

    with LocalServer(route) as server, caplog.at_level(logging.WARNING, logger="unions"):
        options = {"base_url": server.url}
        pet = call(flavour, unions, "get_pet", client_options=options, pet_id="1")
        shape = call(flavour, unions, "get_shape", client_options=options, shape_id="1")
        assert type(pet) is unions.models.Cat and pet.color == "purple"
        assert type(shape) is unions.models.Square and shape.color == "blue"
        with pytest.raises(unions.APIResponseValidationError, match=r"\[enum\]"):
            call(flavour, unions, "get_pet", client_options={**options, "strict_responses": True}, pet_id="1")
    assert sum("[enum]" in record.getMessage() for record in caplog.records) == 2


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_members_of_a_union_branch_are_kept(unions: ModuleType, flavour: str) -> None:
    shape = call(
        flavour, unions, "get_shape", handler=answering({"kind": "circle", "radius": 1, "since": 2}), shape_id="s"
    )
    assert shape.model_extra == {"since": 2}  # an open branch
    cat = call(flavour, unions, "get_pet", handler=answering({"name": "Tom", "meows": True, "age": 3}), pet_id="p")
    assert type(cat) is unions.models.Cat
    if "extra" in inspect.signature(pydantic.TypeAdapter.validate_python).parameters:  # pydantic 2.12 or later
        assert cat.model_extra == {"age": 3}  # a closed branch keeps it too (with a warning)
