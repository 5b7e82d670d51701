"""The package's exceptions on their own: hierarchy, status mapping, messages."""

from __future__ import annotations

import httpx
import pytest

from generator.runtime import errors
from generator.runtime._runtime.checks import Issue


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (418, "APIStatusError"),
        (302, "APIStatusError"),
    ],
)
def test_status_error_class(status: int, name: str) -> None:
    assert errors.status_error_class(status).__name__ == name


def test_everything_is_an_sdk_error() -> None:
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, Exception) and value.__module__ == errors.__name__:
            assert issubclass(value, errors.SDKError)
    assert issubclass(errors.APITimeoutError, errors.APIConnectionError)
    assert issubclass(errors.RequestValidationError, ValueError)


def test_request_validation_error_lists_the_blocking_issues() -> None:
    issues = [
        Issue("/title", "maxLength", "is too long"),
        Issue("", "required", "'end' is missing"),
        Issue("/x", "x-rules/soon", "soon", "warning"),
    ]
    error = errors.RequestValidationError(issues)
    assert error.issues == issues
    assert error.errors == issues[:2]
    assert str(error) == (
        "request body is invalid (2 issues):\n  /title: is too long [maxLength]\n  (root): 'end' is missing [required]"
    )
    assert str(errors.RequestValidationError(issues[:1], target="query parameter 'q'")).startswith(
        "query parameter 'q' is invalid (1 issue):"
    )


def test_issues_of_parameters_and_server_variables_say_where_the_value_travels() -> None:
    issues = [
        Issue("/limit", "minimum", "must be >= 1", location="query"),
        Issue("", "required", "missing required member 'id'", location="path"),
        Issue("/region", "enum", 'must be one of "eu"', location="server"),
    ]
    assert str(errors.RequestValidationError(issues, target="call to op()")) == (
        "call to op() is invalid (3 issues):\n"
        "  /limit (query parameter): must be >= 1 [minimum]\n"
        "  (path parameters): missing required member 'id' [required]\n"
        '  /region (server variable): must be one of "eu" [enum]'
    )


def test_status_error_carries_the_response() -> None:
    response = httpx.Response(404, json={"message": "gone"}, request=httpx.Request("GET", "https://shop.com/x"))
    error = errors.NotFoundError("404 Not Found", response=response, body={"message": "gone"})
    assert (error.status_code, error.body, error.error, error.response) == (404, {"message": "gone"}, None, response)


def test_error_as_gives_the_body_as_the_model_typed() -> None:
    import httpx
    from pydantic import BaseModel

    from generator.runtime.errors import NotFoundError

    class Problem(BaseModel):
        title: str

    class Other(BaseModel):
        code: int

    parsed = Problem(title="gone")
    error = NotFoundError("404", response=httpx.Response(404), body={"title": "gone"}, error=parsed)
    assert error.error_as(Problem) is parsed
    assert error.error_as(Other) is None
    raw = NotFoundError("404", response=httpx.Response(404), body={"title": "later"})
    problem = raw.error_as(Problem)
    assert problem is not None and problem.title == "later"


def test_error_as_takes_the_type_alias_of_a_union_of_models() -> None:
    from pydantic import BaseModel
    from typing_extensions import TypeAliasType

    from generator.runtime.errors import NotFoundError

    class Gone(BaseModel):
        gone: bool

    class Moved(BaseModel):
        to: str

    problem = TypeAliasType("Problem", Gone | Moved)
    error = NotFoundError("404", response=httpx.Response(404), body={"to": "/elsewhere"})
    moved = error.error_as(problem)
    assert type(moved) is Moved and moved.to == "/elsewhere"
    assert NotFoundError("404", response=httpx.Response(404), body={"x": 1}).error_as(problem) is None
