"""Specs as users write them (tests/data/anyspec/): each generates a package that passes ruff and
`mypy --strict`, whose README runs (tests/test_client_readme.py), and whose signatures say what
the spec says: enum and format parameters typed, spec defaults in the signature, JSON bodies
typed by the model or their wire shape, readOnly members refused in requests, writeOnly ones not
expected in responses, closed prefixItems as tuples, inline schemas named after where they sit,
error bodies reachable typed.
"""

from __future__ import annotations

import datetime
import importlib
import json
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.pipeline import generate
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "anyspec"
SPECS = ("todos", "geometry", "vendor", "defaults")
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("anyspec")
    generate([DATA / f"{name}.yaml" for name in SPECS], folder)
    sys.path.insert(0, str(folder))
    try:
        yield folder
    finally:
        sys.path.remove(str(folder))
        for module in [m for m in sys.modules if m.split(".")[0] in SPECS]:
            del sys.modules[module]


def package(name: str) -> ModuleType:
    return importlib.import_module(name)


def mypy(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    cache = ["--cache-dir", str(ROOT / ".mypy_cache" / "anyspec")]
    command = [str(BIN / "mypy"), "--strict", *cache, *arguments]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)


def test_every_package_passes_ruff_and_mypy_strict(out: Path) -> None:
    settings = ["--isolated", "--line-length", "120", "--target-version", "py311", "--select", "E,F,W,I,B,UP,SIM,RUF"]
    ignore = ["--ignore", "E501,RUF001,RUF002,RUF003"]
    lint = subprocess.run([str(BIN / "ruff"), "check", *settings, *ignore, *SPECS], cwd=out,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert lint.returncode == 0, lint.stdout
    types = mypy(out, *(argument for name in SPECS for argument in ("-p", name)))
    assert types.returncode == 0, types.stdout


# A user's code: every call here type-checks...
GOOD = """
import datetime
import uuid

from geometry import Client as Shapes, models as sm
from todos import Client as Todos, models as tm


def calls(todos: Todos, shapes: Shapes) -> None:
    todos.list_todos(status=tm.Status.DONE, updated_since=datetime.datetime.now(datetime.UTC))
    todos.list_todos(status="open", due_before=datetime.date(2025, 1, 1), limit=5, offset=None)
    todos.get_todo(todo_id=uuid.uuid4())
    todos.get_todo(todo_id="3f2c1a4e-8b7d-4c2e-9a1f-0b6d5e4c3a21")
    todos.create_todo(body={"title": "x", "status": "open"})
    todos.create_todo(body=tm.TodoCreate(title="x"))
    shapes.create_shape(body=sm.Circle(kind="circle", radius=1.0))
    shapes.create_shape(body={"kind": "square", "side": 2.0})
    shapes.list_shapes(kind=sm.Kind.CIRCLE, color=None)
    point: tuple[float, float] = sm.Point((1.0, 2.0)).root
    print(point)
"""

# ...and every line of this one is refused by the type check.
BAD = """
from geometry import Client as Shapes
from todos import Client as Todos


def calls(todos: Todos, shapes: Shapes) -> None:
    shapes.create_shape(body=42)
    todos.list_todos(status="nope")
    todos.create_todo(body={"titel": "x"})
    shapes.create_user(body={"name": "ann", "password": "secret-12", "id": 3})
    todos.get_todo(todo_id=42)
"""


def test_signatures_type_what_the_spec_says(out: Path) -> None:
    (out / "user_good.py").write_text(textwrap.dedent(GOOD), encoding="utf-8")
    good = mypy(out, "user_good.py")
    assert good.returncode == 0, good.stdout
    (out / "user_bad.py").write_text(textwrap.dedent(BAD), encoding="utf-8")
    bad = mypy(out, "user_bad.py")
    lines = {int(line.split(":")[1]) for line in bad.stdout.splitlines() if line.startswith("user_bad.py:")}
    calls = [
        number
        for number, text in enumerate(textwrap.dedent(BAD).splitlines(), 1)
        if "(body=" in text or "_id=" in text or "status=" in text
    ]
    assert sorted(lines) == calls, bad.stdout


class Recorder:
    def __init__(self, status: int = 200, body: Any = None) -> None:
        self.requests: list[httpx.Request] = []
        self.status = status
        self.body = body

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.body)


def client(module: ModuleType, recorder: Recorder) -> Any:
    transport = httpx.Client(transport=httpx.MockTransport(recorder))
    return module.Client(base_url="https://api.test", api_key="k", http_client=transport, max_retries=0)


def test_enum_and_format_parameters_are_sent_as_the_spec_describes(out: Path) -> None:
    todos = package("todos")
    recorder = Recorder(body={"items": [], "total": 0})
    client(todos, recorder).list_todos(
        status=todos.models.Status.DONE,
        updated_since=datetime.datetime(2025, 1, 15, 9, 30, tzinfo=datetime.UTC),
        due_before=datetime.date(2025, 2, 1),
    )
    query = dict(recorder.requests[0].url.params)
    assert query == {
        "limit": "20",  # the spec's defaults, sent: what the signature shows is what goes out
        "offset": "0",
        "status": "done",
        "updatedSince": "2025-01-15T09:30:00+00:00",
        "dueBefore": "2025-02-01",
    }
    client(todos, recorder).list_todos(limit=None, offset=None)
    assert dict(recorder.requests[1].url.params) == {}  # None: left to the server
    recorder.body = {"id": str(uuid.UUID(int=1)), "title": "t", "status": "open", "createdAt": "2025-01-01T00:00:00Z"}
    client(todos, recorder).get_todo(todo_id=uuid.UUID(int=1))
    assert recorder.requests[2].url.path == f"/todos/{uuid.UUID(int=1)}"


def test_read_only_members_are_refused_in_requests_and_write_only_ones_not_expected(out: Path) -> None:
    shapes = package("geometry")
    recorder = Recorder(status=201, body={"id": 7, "name": "ann", "role": "member"})  # no password
    with pytest.raises(shapes.RequestValidationError) as caught:
        client(shapes, recorder).create_user(body={"name": "ann", "password": "secret-12", "id": 3})
    assert [(issue.pointer, issue.keyword) for issue in caught.value.issues] == [("", "readOnly")]
    assert recorder.requests == []  # nothing sent
    user = client(shapes, recorder).create_user(body=shapes.models.User(name="ann", password="secret-12"))
    assert user.id == 7 and user.password is None  # required in requests, absent from the response
    assert json.loads(recorder.requests[0].content) == {"name": "ann", "password": "secret-12"}


def test_an_error_body_is_reachable_typed(out: Path) -> None:
    shapes = package("geometry")
    recorder = Recorder(status=404, body={"message": "no such shape", "resource": "shape"})
    with pytest.raises(shapes.NotFoundError) as caught:
        client(shapes, recorder).get_shape(shape_id="shp_abcdefgh")
    found = caught.value.error_as(shapes.models.NotFound)
    assert found is not None and found.message == "no such shape"


def test_models_read_as_the_spec_does(out: Path) -> None:
    for name in SPECS:
        source = (out / name / "models.py").read_text(encoding="utf-8")
        assert "NONE_TYPE_NONE" not in source, name
        assert "Error1" not in source and "Status1" not in source, name
    shapes = package("geometry")
    assert shapes.models.PutCanvasBody.model_fields["size"].annotation.__origin__ is tuple
    assert shapes.models.User(name="ann", password="secret-12", role=None).role is None
    todos = package("todos")
    assert hasattr(todos.models, "ValidationErrorErrorsItem")
    assert str(todos.models.Problem().type) == "about:blank"  # an RFC 9457 default, typed
    vendor = package("vendor")
    assert vendor.models.Message(status=None).status is None
    assert {member.value for member in vendor.models.MessageStatus} >= {"queued", "sent"}
