"""Render step: IR -> the files of one package, in memory (path -> text), formatted.

Each emitted file has one template under `templates/package/`, except the runtime
(`errors.py`, `_runtime/`), copied from `generator/runtime/` by `generator.emit.runtime`;
this module decides which files a package gets and what each template is handed.
Templates never see the raw spec.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from generator import __version__
from generator.emit.models import ModelsRequest, render_models
from generator.emit.runtime import ERRORS_EXPORTS, RUNTIME_PUBLIC_NAMES, runtime_files, runtime_paths
from generator.execute import forked
from generator.ir import Api
from generator.output.format import format_python

if TYPE_CHECKING:
    from generator.execute.forked import Awaiting

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
# The files `render_package` renders itself; the extra modules and files are rendered beside them.
OWN_FILES = ("models.py", "__init__.py", "py.typed", *runtime_paths())
# Extras up to this many characters are formatted where they are rendered (see `_render_extras`):
# ~4.8 MB at N=200 operations+schemas (ruff: ~110 MB), ~23 MB at N=1000 (ruff: ~480 MB).
EXTRAS_FORMAT_MAX_BYTES = 8_000_000


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Generation options that change the emitted bytes (part of the fingerprint)."""

    assert_formats: bool = False

    def key(self) -> str:
        return f"assert_formats={self.assert_formats}"


@dataclass(frozen=True, slots=True)
class Module:
    """One emitted Python module and the names the package's `__init__` re-exports from it."""

    name: str
    exports: tuple[str, ...]


@functools.cache
def environment() -> jinja2.Environment:
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


def header(api: Api, comment: str = "#") -> str:
    """The lines every emitted file starts with: generator version, spec sha256, do not edit."""
    return (
        environment()
        .get_template("_header.jinja")
        .render(
            comment=comment,
            generator_version=__version__,
            spec_file=api.spec_file,
            spec_sha256=api.spec_sha256,
        )
        .rstrip("\n")
    )


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def render_package(
    api: Api,
    options: RenderOptions | None = None,
    *,
    concurrent: bool = False,
    datamodel: Awaiting[ModelsRequest, str] | None = None,
) -> dict[str, str]:
    """Every file of the package, keyed by its path inside the package folder.

    With `concurrent=True` (and where `generator.execute.forked` can fork) the extra modules and
    files are rendered in a forked child while datamodel-code-generator runs: here, or in
    the child `datamodel` when given (`generator.emit.models.prepare_datamodel`). The same files,
    the same first error, in about the time of the longer of the two.
    """
    options = options or RenderOptions()
    python_header = header(api)
    files: dict[str, str] = {}
    modules: list[Module] = []

    extras_job = None
    if concurrent and forked.available():
        extras_job = forked.Forked(lambda: _render_extras(api, python_header, options))
    try:
        models_source = render_models(api, python_header, datamodel)
        files["models.py"] = _render("package/models.py.jinja", models_source=models_source)
        modules.append(Module("models", ()))
        files.update(runtime_files(python_header))
        modules.append(Module("errors", ERRORS_EXPORTS))
        extra_modules, extra_files, extras_formatted = (
            extras_job.result() if extras_job is not None else _render_extras(api, python_header, options)
        )
    except BaseException:
        if extras_job is not None:
            extras_job.cancel()
        raise
    for module, source in extra_modules:
        files[f"{module.name}.py"] = source
        modules.append(module)
    for path, text in extra_files:
        files[path] = text

    # Private modules (`_runtime`) are imported by their users, not re-exported.
    modules = [m for m in modules if not m.name.startswith("_")]
    modules.sort(key=lambda m: m.name)
    exports = [(m.name, sorted(m.exports)) for m in modules if m.exports]
    files["__init__.py"] = _render(
        "package/__init__.py.jinja",
        header=python_header,
        api=api,
        modules=[m.name for m in modules],
        exports=exports,
        all_names=sorted([*(m.name for m in modules), *(n for _, names in exports for n in names)], key=_export_order),
    )
    files["py.typed"] = _render("package/py.typed.jinja", header=python_header)
    if not extras_formatted:
        return format_python(files)
    # The extras came formatted (by their renderer, maybe in the helper); the rest is formatted here.
    extras = {path for path, _ in extra_files} | {f"{module.name}.py" for module, _ in extra_modules}
    own = format_python({path: text for path, text in files.items() if path not in extras}, siblings=extras)
    return {path: own.get(path, text) for path, text in files.items()}


def _render_extras(
    api: Api, python_header: str, options: RenderOptions
) -> tuple[list[tuple[Module, str]], list[tuple[str, str]], bool]:
    """The extra modules and files, in order (what the validators and client steps add); formatted or not.

    Up to `EXTRAS_FORMAT_MAX_BYTES` they are formatted here, in the helper when there is one,
    beside stand-ins for the files `render_package` renders itself (`OWN_FILES`): the bytes of
    one ruff pass over the package. Larger ones are left to `render_package`'s pass, once
    datamodel-code-generator is done: ruff takes ~20 bytes of memory per byte it formats, and
    the two peaks must not add up.
    """
    extra_modules = [module for extra in _extra_modules() if (module := extra(api, python_header, options))]
    extra_files = [extra_file(api, options) for extra_file in _extra_files()]
    texts = {**{f"{module.name}.py": source for module, source in extra_modules}, **dict(extra_files)}
    if sum(len(text) for text in texts.values()) > EXTRAS_FORMAT_MAX_BYTES:
        return extra_modules, extra_files, False
    texts = format_python(texts, siblings=OWN_FILES)
    return (
        [(module, texts[f"{module.name}.py"]) for module, _ in extra_modules],
        [(path, texts[path]) for path, _ in extra_files],
        True,
    )


def _export_order(name: str) -> tuple[int, str]:
    """isort-style order for `__all__`: CONSTANTS, then Classes, then modules and functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


ModuleRenderer = Callable[[Api, str, RenderOptions], tuple[Module, str] | None]  # None: no such module


FileRenderer = Callable[[Api, RenderOptions], tuple[str, str]]


CLIENT_EXPORTS = (
    "Client",
    "AsyncClient",
    "ClientWithRawResponse",
    "AsyncClientWithRawResponse",
    "ClientWithStreamingResponse",
    "AsyncClientWithStreamingResponse",
    *RUNTIME_PUBLIC_NAMES,
)


def _client_module(api: Api, python_header: str, options: RenderOptions) -> tuple[Module, str]:
    from generator.emit.client import client_view

    source = _render(
        "package/client.py.jinja",
        header=python_header,
        view=client_view(api),
        runtime_imports=RUNTIME_PUBLIC_NAMES,
        all_names=sorted(CLIENT_EXPORTS, key=_export_order),
    )
    return Module("client", CLIENT_EXPORTS), source


def _readme_file(api: Api, options: RenderOptions) -> tuple[str, str]:
    """The package's README.md (an HTML comment carries the header)."""
    from generator.emit.client import client_view

    lines = header(api, "").splitlines()
    html_header = "\n".join(f"<!--{line} -->" for line in lines)
    from generator.emit.webhooks import webhooks_view

    view, webhooks = client_view(api), webhooks_view(api)
    return "README.md", _render("package/README.md.jinja", header=html_header, view=view, webhooks=webhooks)


def _extra_modules() -> list[ModuleRenderer]:
    """Renderers of the modules that the validators and client steps add."""
    return [_validators_module, _client_module, _webhooks_module]


def _extra_files() -> list[FileRenderer]:
    """Renderers of the package's non-Python files."""
    return [_readme_file]


def _validators_module(api: Api, python_header: str, options: RenderOptions) -> tuple[Module, str]:
    """`validators.py`: the compiled JSON Schema + x-rules checks (generator.emit.validators)."""
    from generator.emit.validators import render_validators

    return Module("validators", ()), render_validators(api, assert_formats=options.assert_formats, header=python_header)


def _webhooks_module(api: Api, python_header: str, options: RenderOptions) -> tuple[Module, str] | None:
    """`webhooks.py`, one `parse_<webhook>` per entry of the spec's `webhooks` (generator.emit.webhooks)."""
    from generator.emit.webhooks import webhooks_view

    view = webhooks_view(api)
    if view is None:
        return None
    return Module("webhooks", ()), _render("package/webhooks.py.jinja", header=python_header, view=view)
