"""Run one step in a forked child while this process goes on with another.

Used for independent steps of one spec's generation (openapi-spec-validator next to
rendering; the validators and client modules next to datamodel-code-generator; and
datamodel-code-generator itself, in a child forked before the spec is loaded that imports
it meanwhile: `Awaiting`). A forked child sees this process's memory as it was at the fork
(the loaded spec, the IR) without copying or pickling it, and inherits the hash seed, so it computes exactly what this
process would. Only the answer travels back: a value, or the diagnostics of a SpecError.
Anything else (the child crashed, was killed, raised another exception) counts as no
answer, and the caller then runs the step itself, so the outcome never depends on the
child. Linux only (`available()`); elsewhere callers run the steps one after the other.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from generator.diagnostics import SpecError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
A = TypeVar("A")
HELPER_NICENESS = 10


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def available() -> bool:
    """True where a forked helper is safe and cheap (Linux, more than one core)."""
    import multiprocessing

    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods() and cores() > 1


def die_with_parent() -> None:
    """In a forked helper process: exit when the sdkgen process that forked it dies (even by SIGKILL)."""
    import ctypes
    import ctypes.util
    import signal

    libc_name = ctypes.util.find_library("c")
    if libc_name is not None:
        pr_set_pdeathsig = 1
        ctypes.CDLL(libc_name).prctl(pr_set_pdeathsig, signal.SIGKILL)


class Forked(Generic[T]):
    """`step()` computed in a forked child; `result()` waits for it."""

    def __init__(self, step: Callable[[], T]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.step = step
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=_run_in_child, args=(step, writer), daemon=True)
        self.process.start()
        writer.close()

    def result(self) -> T:
        """The child's value; its SpecError re-raised here; without an answer, `step()` run here."""
        try:
            kind, payload = self.reader.recv()
        except (EOFError, OSError):
            kind, payload = "lost", None
        finally:
            self.reader.close()
            self.process.join()
        if kind == "value":
            return payload  # type: ignore[no-any-return]
        if kind == "findings":
            raise SpecError(payload)
        return self.step()

    def cancel(self) -> None:
        """Stop the child; its answer is not wanted any more."""
        self.reader.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _run_in_child(step: Callable[[], Any], writer: Connection) -> None:
    die_with_parent()
    # Helpers yield to the process that forked them: its own step (datamodel-code-generator)
    # is the longest, so it keeps a core to itself while the helpers share the other one.
    with contextlib.suppress(OSError):
        os.nice(HELPER_NICENESS)
    # What the child inherited is read, never freed here: keep the cycle collector off it
    # (walking it costs time and copies every page it touches out of the shared memory).
    gc.freeze()
    try:
        _answer(step, writer)
    finally:
        writer.close()


def _answer(compute: Callable[[], Any], connection: Connection) -> None:
    """Send the parent what `compute()` gives: its value, its findings, or "lost"."""
    try:
        value = compute()
    except SpecError as error:
        connection.send(("findings", list(error.diagnostics)))
    except BaseException:  # the parent runs the step itself and sees the failure first-hand
        connection.send(("lost", None))
    else:
        try:
            connection.send(("value", value))
        except Exception:  # not picklable: the parent computes it
            connection.send(("lost", None))


class Awaiting(Generic[A, T]):
    """`step(argument)` computed in a child forked before `argument` exists.

    The child runs `prepare()` at once (imports: the part of a step that needs no input)
    while this process works the argument out; `send(argument)` hands it over, pickled, and
    `result()` waits for the value as `Forked.result` does (without an answer, `step(argument)`
    is run here). The child does the step this process would otherwise wait for, so it is not
    niced, and it runs without the cycle collector: it exits once it has answered.
    `close()` stops a child whose step is not wanted (or never sent).
    """

    def __init__(self, prepare: Callable[[], object], step: Callable[[A], T]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.step = step
        self.argument: tuple[A] | None = None
        self.connection, theirs = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve_in_child, args=(prepare, step, theirs), daemon=True)
        self.process.start()
        theirs.close()

    def send(self, argument: A) -> None:
        self.argument = (argument,)
        with contextlib.suppress(OSError):  # the child is gone: `result()` computes the step here
            self.connection.send(argument)

    def result(self) -> T:
        if self.argument is None:
            raise RuntimeError("Awaiting.result() before send()")
        try:
            kind, payload = self.connection.recv()
        except (EOFError, OSError):
            kind, payload = "lost", None
        finally:
            self.close()
        if kind == "value":
            return payload  # type: ignore[no-any-return]
        if kind == "findings":
            raise SpecError(payload)
        return self.step(self.argument[0])

    def close(self) -> None:
        """Stop the child if it still runs (idempotent)."""
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _serve_in_child(prepare: Callable[[], object], step: Callable[[Any], Any], connection: Connection) -> None:
    die_with_parent()
    gc.disable()
    gc.freeze()
    try:
        with contextlib.suppress(Exception):  # a failed preparation only makes the step slower
            prepare()
        try:
            argument = connection.recv()
        except (EOFError, OSError):  # not wanted any more
            return
        _answer(lambda: step(argument), connection)
    finally:
        connection.close()
