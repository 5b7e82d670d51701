"""Python names by the contract's rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.ir.names import is_identifier, package_name_for_stem, snake_case


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("createSession", "create_session"),
        ("CreateSessionsRequest", "create_sessions_request"),
        ("HTTPResponse", "http_response"),
        ("eventId", "event_id"),
        ("file1", "file1"),
        ("tickets_linked", "tickets_linked"),
        ("startDateTime", "start_date_time"),
        ("XMLHttpRequest", "xml_http_request"),
        ("get-HTTP2Server", "get_http2_server"),
        ("x.y  z", "x_y_z"),
        ("class", "class_"),
        ("from", "from_"),
        ("café", "cafe"),
    ],
)
def test_snake_case(wire: str, python: str) -> None:
    assert snake_case(wire) == python


def test_soft_keywords_stay_usable() -> None:
    assert snake_case("type") == "type"
    assert snake_case("match") == "match"


def test_package_names_from_stems() -> None:
    assert package_name_for_stem("event-app") == "event_app"
    assert not is_identifier(package_name_for_stem("123"))
    assert not is_identifier("class")


AWKWARD = Path(__file__).resolve().parents[1] / "data" / "awkward_names.yaml"


def test_awkward_names_generate_a_package_that_compiles_and_type_checks(tmp_path: Path) -> None:
    """Keywords, builtins, pydantic's own names, leading digits, non-ASCII, clashes after conversion."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(AWKWARD), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe = (
        "import warnings; warnings.simplefilter('ignore')\n"
        "import namesapi.models as m\n"
        "print(sorted(m.Class.model_fields))\n"
        "print(m.Class.model_validate({'class': 'c', '1st': 1, '@type': 't', 'a-b': 'x', 'a_b': 'y'})"
        ".model_dump(by_alias=True, exclude_unset=True))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    fields, dumped = run.stdout.splitlines()
    assert "'class_'" in fields and "'field_1st'" in fields and "'from_'" in fields
    assert dumped == "{'class': 'c', '1st': 1, '@type': 't', 'a-b': 'x', 'a_b': 'y'}"
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "namesapi"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert mypy.returncode == 0, mypy.stdout
