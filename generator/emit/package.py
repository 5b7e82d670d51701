"""Package emitter: `__init__.py`, which imports the public modules and re-exports their names,
the `py.typed` marker, and `ruff.toml`. Which modules there are comes from the other emitters.

`ruff.toml` holds the settings the package was formatted and checked with: ruff takes the
configuration closest to a file, so a package vendored into a project (or generated into any
folder) is checked and formatted by its own settings, not by whatever the project or ruff's
defaults say (line length 88, other rules)."""

from __future__ import annotations

from collections.abc import Sequence

from generator.adapters import ruff
from generator.emit import EmitOptions, Emitter, Files, Module, export_order
from generator.emit.templates import header, render
from generator.ir import Api


def emitter(parts: Sequence[Emitter]) -> Emitter:
    """The emitter of the files that list what `parts` emit."""

    def emit(api: Api, options: EmitOptions) -> Files:
        modules = sorted((m for part in parts for m in part.modules(api)), key=lambda m: m.name)
        return package_files(api, modules)

    return Emitter("package", lambda api: ("__init__.py", "py.typed", "ruff.toml"), emit)


def package_files(api: Api, modules: Sequence[Module]) -> Files:
    """`__init__.py`, `py.typed` and `ruff.toml` for a package with these public modules."""
    python_header = header(api)
    exports = [(m.name, sorted(m.exports)) for m in modules if m.exports]
    names = [*(m.name for m in modules), *(name for _, names in exports for name in names)]
    return {
        "__init__.py": render(
            "package/__init__.py.jinja",
            header=python_header,
            api=api,
            modules=[m.name for m in modules],
            exports=exports,
            all_names=sorted(names, key=export_order),
        ),
        "py.typed": render("package/py.typed.jinja", header=python_header),
        "ruff.toml": render(
            "package/ruff.toml.jinja",
            header=python_header,
            package=api.package,
            line_length=ruff.LINE_LENGTH,
            target_version=ruff.TARGET_VERSION,
            select=ruff.LINT_SELECT,
            ignore=ruff.LINT_IGNORE,
        ),
    }
