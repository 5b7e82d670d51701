"""The Jinja side of emitting: one environment over `templates/`, and the header of every file.

Templates hold the shape of the code; the emitters decide what goes in and hand them plain
values. `StrictUndefined` makes a misspelt name an error, never an empty string.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.ir import Api

if TYPE_CHECKING:  # jinja2 loads when a template is first rendered: `sdkgen diff` renders none
    import jinja2

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = repr
    return env


def render(template: str, **context: Any) -> str:
    """One template of `templates/`, rendered."""
    return environment().get_template(template).render(**context)


def header(api: Api, comment: str = "#") -> str:
    """The lines every emitted file starts with: generator version, spec, how to regenerate, sha256."""
    return render(
        "_header.jinja",
        comment=comment,
        generator_version=__version__,
        spec_file=api.spec_file,
        spec_sha256=api.spec_sha256,
    ).rstrip("\n")


def html_header(api: Api) -> str:
    """The header as HTML comments, for Markdown files."""
    return "\n".join(f"<!--{line} -->" for line in header(api, "").splitlines())
