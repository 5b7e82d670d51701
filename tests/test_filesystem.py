"""The filesystem under stress: killed runs, concurrent runs, unwritable output folders."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import snapshot

KILLS = int(os.environ.get("SDKGEN_KILL_RUNS", "6"))


def start_generate(*args: str, slow_writes: bool = False) -> subprocess.Popen[bytes]:
    """`sdkgen generate` in a process; with slow_writes every fsync lingers, widening the window."""
    command = [sys.executable, "-m", "generator", "generate", *args]
    if slow_writes:
        command = [
            sys.executable,
            "-c",
            "import os, runpy, sys, time\n"
            "real = os.fsync\n"
            "os.fsync = lambda fd: (real(fd), time.sleep(0.03))[0]\n"
            f"sys.argv = ['sdkgen', 'generate', *{list(args)!r}]\n"
            "runpy.run_module('generator', run_name='__main__')\n",
        ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def packages(project: Path) -> dict[str, dict[str, bytes]]:
    return {name: snapshot(project / "generated" / name) for name in ("eventapp", "zuddl")}


def edit_both_specs(project: Path, marker: str) -> None:
    for name in ("eventapp.yaml", "zuddl.yaml"):
        path = project / "specs" / name
        path.write_text(path.read_text().replace("Title of the session.", f"Title of the session ({marker})."))


def reset(project: Path, state: dict[str, dict[str, bytes]]) -> None:
    for name, files in state.items():
        folder = project / "generated" / name
        for path in folder.rglob("*"):
            if path.is_file():
                path.unlink()
        for path, content in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(content)


def test_killed_at_random_moments_leaves_each_package_old_or_new(project: Path) -> None:
    old = packages(project)
    edit_both_specs(project, "new")
    started = time.perf_counter()
    assert start_generate(slow_writes=True).wait(timeout=120) == 0
    duration = time.perf_counter() - started  # the kills land across the run, mostly in its writes
    new = packages(project)
    assert new != old
    rng = random.Random(20261122)
    caught_mid_write = 0
    for attempt in range(KILLS):
        reset(project, old)
        process = start_generate(slow_writes=True)
        time.sleep(rng.uniform(0.4, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = packages(project)
        for name in old:
            assert now[name] in (old[name], new[name]), f"attempt {attempt}: {name} is half written"
        caught_mid_write += any(p.name.startswith(".sdkgen-new-") for p in (project / "generated").iterdir())
    # The next run cleans up whatever a killed run left behind and converges; a lock left
    # held by an orphaned worker of a killed run would hang it, hence the timeout.
    final = start_generate()
    assert final.wait(timeout=120) == 0
    assert packages(project) == new
    leftovers = [p.name for p in (project / "generated").iterdir() if p.name.startswith(".sdkgen-")]
    assert leftovers == []
    print(f"{KILLS} kills, {caught_mid_write} while a package was being written")


def test_two_runs_at_once_do_not_corrupt_the_tree(project: Path) -> None:
    edit_both_specs(project, "concurrent")
    first, second = start_generate(), start_generate()
    assert first.wait(timeout=120) == 0, first.stderr.read() if first.stderr else ""
    assert second.wait(timeout=120) == 0, second.stderr.read() if second.stderr else ""
    result = CliRunner().invoke(main, ["check", "--force"])
    assert result.exit_code == 0, result.output


def test_unwritable_output_folder_is_a_clean_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, for whom chmod does not bite: make every write fail instead.
    edit_both_specs(project, "readonly")
    before = snapshot(project / "generated")
    real_mkdtemp = __import__("tempfile").mkdtemp

    def refuse(*args: object, **kwargs: object) -> str:
        if str(kwargs.get("dir", "")).endswith("generated"):
            raise PermissionError(13, "Permission denied")
        return real_mkdtemp(*args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr("generator.output.write.tempfile.mkdtemp", refuse)
    result = CliRunner().invoke(main, ["generate"])
    assert result.exit_code == 2
    assert "generated/eventapp: cannot write the package: Permission denied" in result.output
    assert snapshot(project / "generated") == before
