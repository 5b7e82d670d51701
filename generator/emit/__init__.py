"""Emitters: one module per artefact of a generated package, each a pure function of the IR.

An emitter takes the `Api` and the `EmitOptions` and returns `{path inside the package: text}`,
unformatted. It knows nothing of how it is run: the executor (`generator.execute`) decides
where each one runs (this process, a forked helper, a child that warmed up early) and formats
the result. Adding an artefact is adding an `Emitter` to `emitters()`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.ir import Api


@dataclass(frozen=True, slots=True)
class EmitOptions:
    """Generation options that change the emitted bytes (part of the no-op key)."""

    assert_formats: bool = False
    # (URI prefix, folder) pairs remote `$ref`s and `$schema`s are read from (`generator.spec.ref_map`);
    # the contents of the folders are in the fast path's inputs.
    ref_map: tuple[tuple[str, str], ...] = ()

    def key(self) -> str:
        mapped = "".join(f";ref_map={prefix}={folder}" for prefix, folder in self.ref_map)
        return f"assert_formats={self.assert_formats}{mapped}"


@dataclass(frozen=True, slots=True)
class Module:
    """A public module of the package and the names its `__init__` re-exports from it."""

    name: str
    exports: tuple[str, ...] = ()


Files = dict[str, str]


def export_order(name: str) -> tuple[int, str]:
    """isort-style order for `__all__`: CONSTANTS, then Classes, then modules and functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


@dataclass(frozen=True, slots=True)
class Emitter:
    """One artefact: its name, the paths it writes, its emit function, the public modules it adds.

    The paths are declared, not found out by running it: formatting needs the package's
    layout wherever a file happens to be emitted, and an emitter that writes other paths
    than it declares is a bug the executor reports.
    """

    name: str
    paths: Callable[[Api], tuple[str, ...]]
    emit: Callable[[Api, EmitOptions], Files]
    modules: Callable[[Api], tuple[Module, ...]] = lambda api: ()
    # The part of a slow emitter that needs no input (imports), which an executor may run
    # before the spec is even loaded.
    warm_up: Callable[[], object] | None = None
    # A slow emitter is worth a process of its own; the others share one.
    slow: bool = False


def emitters() -> tuple[Emitter, ...]:
    """Every artefact of a package, the package's `__init__.py` last (it lists the others).

    Each emitter's module is imported when it is first used: the no-op path imports none of
    them, and the client's (which loads httpx for the runtime's constants) only where it runs.
    """
    from generator.emit import package, runtime

    parts = (
        Emitter(
            "models",
            lambda api: ("models.py",),
            _lazy("models", "emit"),
            lambda api: (Module("models"),),
            warm_up=_lazy("models", "warm_up"),
            slow=True,
        ),
        Emitter("validators", lambda api: ("validators.py",), _lazy("validators", "emit"), _public("validators")),
        Emitter(
            "runtime",
            lambda api: runtime.runtime_paths(),
            runtime.emit,
            lambda api: (Module("errors", runtime.ERRORS_EXPORTS),),
        ),
        Emitter("client", lambda api: ("client.py",), _lazy("client", "emit"), _public("client", "CLIENT_EXPORTS")),
        Emitter("readme", lambda api: ("README.md",), _lazy("readme", "emit")),
        Emitter(
            "webhooks",
            lambda api: ("webhooks.py",) if api.webhooks else (),
            _lazy("webhooks", "emit"),
            lambda api: (Module("webhooks"),) if api.webhooks else (),
        ),
    )
    return (*parts, package.emitter(parts))


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """`generator.emit.<module>.<name>`, imported at the first call."""

    def call(*args: Any) -> Any:
        return getattr(importlib.import_module(f"generator.emit.{module}"), name)(*args)

    return call


def _public(module: str, exports: str | None = None) -> Callable[[Api], tuple[Module, ...]]:
    """The public module `module`, re-exporting the names listed in its attribute `exports`."""

    def modules(api: Api) -> tuple[Module, ...]:
        names = getattr(importlib.import_module(f"generator.emit.{module}"), exports) if exports else ()
        return (Module(module, tuple(names)),)

    return modules
