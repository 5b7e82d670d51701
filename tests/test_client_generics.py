"""A generic container through the whole pipeline (`tests/data/client/generic_pages.yaml`).

One `Page` whose items are a `$dynamicRef`, bound per use (`UserPage`, `OrderPage`) by a
`$dynamicAnchor`; resources named by `$id` and referred to by relative (`$ref: page`) and
absolute URIs. The spec loads, each use's model types its items, the compiled validators
check each use's items with its own schema, and the client sends and receives each use
against a real server on 127.0.0.1.
"""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from collections.abc import Iterator
from types import ModuleType

import pytest
from client_support import ROOT, generated_package
from local_server import LocalServer, Reply, Request, json_reply

SPEC = ROOT / "tests" / "data" / "client" / "generic_pages.yaml"
USERS = {"items": [{"name": "ada"}, {"name": "bob"}], "cursor": None}
ORDERS = {"items": [{"total": 3}, {"total": 0}]}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "generic_pages") as package:
        yield package


def pairs(issues: list[typing.Any]) -> set[tuple[str, str]]:
    return {(issue.pointer, issue.keyword) for issue in issues}


def test_each_use_validates_its_items_with_its_own_schema(pages: ModuleType) -> None:
    validators = pages.validators
    assert validators.validate_user_page(USERS) == []
    assert validators.validate_order_page(ORDERS) == []
    assert pairs(validators.validate_user_page(ORDERS)) == {("/items/0", "required"), ("/items/1", "required")}
    assert pairs(validators.validate_order_page(USERS)) == {("/items/0", "required"), ("/items/1", "required")}
    assert pairs(validators.validate_order_page({"items": [{"total": -1}]})) == {("/items/0/total", "minimum")}
    assert validators.validate_page(USERS) == validators.validate_page(ORDERS) == []  # the default: any object
    swapped = {"users": ORDERS, "orders": USERS}
    assert ("/users/items/0", "required") in pairs(validators.validate_report(swapped))


def test_each_use_is_a_model_of_its_own_items(pages: ModuleType) -> None:
    models = pages.models
    hints = typing.get_type_hints(models.UserPage)
    assert hints["items"] == list[models.User]
    assert typing.get_type_hints(models.OrderPage)["items"] == list[models.Order]
    assert typing.get_type_hints(models.Page)["items"] == list[dict[str, typing.Any]]
    page = models.UserPage.model_validate(USERS)
    assert [user.name for user in page.items] == ["ada", "bob"]
    assert typing.get_type_hints(models.UserPageDict)["items"] == list[models.UserDict]


def test_a_recursive_container_nests_each_use_in_itself(pages: ModuleType) -> None:
    validators, models = pages.validators, pages.models
    tree = {"label": "root", "children": [{"label": "leaf", "children": []}]}
    assert validators.validate_labelled_tree(tree) == []
    unlabelled = {"label": "root", "children": [{"children": []}]}
    assert pairs(validators.validate_labelled_tree(unlabelled)) == {("/children/0", "required")}
    assert validators.validate_tree(unlabelled) == []  # the plain tree asks for no label
    assert typing.get_type_hints(models.LabelledTree)["children"] == list[models.LabelledTree] | None
    assert typing.get_type_hints(models.Tree)["children"] == list[models.Tree] | None
    assert models.LabelledTree.model_validate(tree).children[0].label == "leaf"


def route(request: Request) -> Reply:
    if request.method == "GET" and request.route == "/v1/users":
        return json_reply(json.dumps(USERS))
    if request.route == "/v1/users":
        return json_reply(json.dumps({"users": json.loads(request.body)}))
    if request.route == "/v1/orders":
        body = json.loads(request.body)
        return json_reply(json.dumps(body if body["items"] else {"items": [{"name": "not an order"}]}))
    if request.route == "/v1/trees":
        return json_reply(request.body.decode())
    return Reply(404)


def test_the_client_sends_and_receives_each_use(pages: ModuleType) -> None:
    with LocalServer(route) as server, pages.Client(base_url=server.url + "/v1", max_retries=0) as client:
        users = client.list_users()
        assert isinstance(users, pages.models.UserPage)
        assert isinstance(users.items[0], pages.models.User) and users.items[0].name == "ada"
        report = client.import_users(body={"items": [{"name": "cy"}]})
        assert report.users is not None and report.users.items[0].name == "cy"
        orders = client.import_orders(body=pages.models.OrderPage.model_validate(ORDERS))
        assert [order.total for order in orders.items] == [3, 0]
        with pytest.raises(pages.RequestValidationError) as refused:
            client.import_users(body=typing.cast(typing.Any, ORDERS))  # orders are no users
        assert pairs(refused.value.issues) == {("/items/0", "required"), ("/items/1", "required")}
        stored = client.put_tree(body={"label": "root", "children": [{"label": "leaf"}]})
        assert stored.children is not None and isinstance(stored.children[0], pages.models.LabelledTree)
        sent = len(server.requests)
        with pytest.raises(pages.APIResponseValidationError):
            client.import_orders(body={"items": []})  # the server answers users as orders
    assert sent == 4  # the refused body never left


def test_the_package_type_checks(pages: ModuleType) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "generic_pages"],
        capture_output=True,
        text=True,
        check=False,
        cwd=pages.out_dir,
    )
    assert result.returncode == 0, result.stdout
