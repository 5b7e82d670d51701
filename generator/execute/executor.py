"""How a run is carried out: the emitters of one spec, a step beside them, several specs at once.

Emitters and steps are pure functions of their inputs; this module alone decides where they
run. Serially, everything runs in this process, one after the other. Concurrently (a large
spec, Linux, more than one core) the slow emitter (datamodel-code-generator's models) runs in
a child forked before the spec is even loaded, which imports its libraries meanwhile; the
other emitters run together in one forked helper; spec validation runs in another helper
beside building the IR. The outcome is the same either way: the same files, the same first
error (`generator.execute.forked` falls back to running a step here when a child gives no
answer).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

from generator.emit import EmitOptions, Emitter, Files
from generator.execute import forked
from generator.ir import Api
from generator.output.format import format_files

T = TypeVar("T")
R = TypeVar("R")

# Emitted text up to this many characters is formatted where it was emitted, beside the slow
# emitter; more is formatted after it: ruff needs ~20 bytes of memory per byte it formats,
# and the two peaks must not add up.
FORMAT_BESIDE_MAX_CHARS = 8_000_000


class Executor:
    """Runs one package's emitters (`emit`) and steps beside them (`beside`); a context manager."""

    def __init__(self, emitters: Sequence[Emitter], *, concurrent: bool) -> None:
        self.emitters = tuple(emitters)
        self.concurrent = concurrent and forked.available()
        self._warm: dict[str, forked.Awaiting[tuple[Api, EmitOptions], Files]] = {}
        if self.concurrent:
            for emitter in self.emitters:
                if emitter.slow and emitter.warm_up is not None:
                    self._warm[emitter.name] = forked.Awaiting(emitter.warm_up, _Emit(emitter))

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop any child still waiting (idempotent)."""
        for child in self._warm.values():
            child.close()

    def beside(self, step: Callable[[], T]) -> Beside[T]:
        """`step()` in a forked helper while this process goes on (at once, here, when serial)."""
        return Beside(step, concurrent=self.concurrent)

    def emit(self, api: Api, options: EmitOptions) -> Files:
        """Every file of the package, formatted: path inside the package -> text."""
        package_paths = _declared_paths(self.emitters, api)
        if not self.concurrent:
            files: Files = {}
            for emitter in self.emitters:
                files.update(_checked(emitter, api, options))
            return format_files(files, package_paths)
        slow = [emitter for emitter in self.emitters if emitter.slow]
        light = [emitter for emitter in self.emitters if not emitter.slow]
        for emitter in slow:
            if emitter.name in self._warm:
                self._warm[emitter.name].send((api, options))
        helper = forked.Forked(lambda: _emit_and_format(light, api, options, package_paths))
        try:
            slow_files: Files = {}
            for emitter in slow:
                child = self._warm.get(emitter.name)
                slow_files.update(child.result() if child is not None else _checked(emitter, api, options))
            light_files, light_formatted = helper.result()
        except BaseException:
            helper.cancel()
            raise
        if light_formatted:
            return {**format_files(slow_files, package_paths), **light_files}
        return format_files({**slow_files, **light_files}, package_paths)


class _Emit:
    """An emitter's function as one picklable-argument step, for a child that waits for its input."""

    def __init__(self, emitter: Emitter) -> None:
        self.emitter = emitter

    def __call__(self, argument: tuple[Api, EmitOptions]) -> Files:
        api, options = argument
        return _checked(self.emitter, api, options)


def _checked(emitter: Emitter, api: Api, options: EmitOptions) -> Files:
    files = emitter.emit(api, options)
    declared = set(emitter.paths(api))
    if set(files) != declared:
        raise RuntimeError(f"emitter {emitter.name!r} wrote {sorted(files)}, declared {sorted(declared)}")
    return files


def _declared_paths(emitters: Iterable[Emitter], api: Api) -> list[str]:
    return [path for emitter in emitters for path in emitter.paths(api)]


def _emit_and_format(
    emitters: Sequence[Emitter], api: Api, options: EmitOptions, package_paths: Sequence[str]
) -> tuple[Files, bool]:
    """The files of `emitters`, formatted when small enough to format beside the slow emitter."""
    files: Files = {}
    for emitter in emitters:
        files.update(_checked(emitter, api, options))
    if sum(len(text) for text in files.values()) > FORMAT_BESIDE_MAX_CHARS:
        return files, False
    return format_files(files, package_paths), True


class Beside(Generic[T]):
    """A step started beside this process's work; `result()` joins it, `cancel()` drops it."""

    def __init__(self, step: Callable[[], T], *, concurrent: bool) -> None:
        self._job = forked.Forked(step) if concurrent else None
        self._value = step() if self._job is None else None

    def result(self) -> T:
        if self._job is not None:
            return self._job.result()
        return self._value  # type: ignore[return-value]

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()


def map_specs(step: Callable[[T], R], items: Sequence[T], *, parallel: bool | None = None) -> list[R]:
    """`step` over `items`, in a pool of worker processes (one per core) when there are several;
    results in order, the same as a serial run. `step` must be a module-level function."""
    if parallel is None:
        parallel = len(items) > 1 and forked.cores() > 1
    if not parallel or len(items) < 2:
        return [step(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if forked.available() else None
    workers = min(len(items), forked.cores())
    initializer = forked.die_with_parent if sys.platform == "linux" else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer) as pool:
        futures = [pool.submit(step, item) for item in items]
        return [future.result() for future in futures]


def emit_package(api: Api, options: EmitOptions | None = None, *, concurrent: bool = False) -> Files:
    """Every formatted file of `api`'s package, by every registered emitter (tests, tools)."""
    from generator.emit import emitters

    with Executor(emitters(), concurrent=concurrent) as executor:
        return executor.emit(api, options or EmitOptions())
