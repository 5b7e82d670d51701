"""Generation at scale: sdkgen against its peers on synthetic specs of N operations and N schemas.

For each N (default 50, 200, 1000; `SDKGEN_BENCH_SIZES=50,200` for a quick run) this writes
`benchmarks/.work/synthetic-N.yaml` (see tests/synthetic_spec.py) and times, each as a fresh
process the way a build runs it:

- `sdkgen generate` from scratch (no package in the output folder), the whole package;
- `sdkgen generate` with nothing to do (the fingerprint path), and `sdkgen check` (same);
- `sdkgen check --force` (a full render in memory, compared with the disk);
- openapi-python-client (`generate --path ... --overwrite`, its default ruff post-hooks);
- datamodel-codegen, models only, with black+isort (its current default) and with its
  builtin formatter (`--formatters builtin`).

Each figure is the median of several runs (`SDKGEN_BENCH_RUNS`, default 5; at N >= 1000
three runs, and one of openapi-python-client, which takes minutes there). Reported per
command: wall time, CPU time (user+sys of the process and the children it waited for:
steadier than wall time on a busy machine), and peak memory: the largest resident set of
any single process of the run (from wait4) and the largest sum of proportional set sizes over
the process tree (sampled every 0.1 s: forked helpers share pages with their parent, and
PSS counts a shared page once). Ratios are peer time / `sdkgen generate` time (>1: sdkgen is faster).

Results also go to benchmarks/.work/bench_scale.json and, as a Markdown table, to stdout.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))  # the synthetic spec is shared with the tests

from tests.synthetic_spec import write_spec  # noqa: E402

DEFAULT_SIZES = (50, 200, 1000)
PEER_VENV = WORK / "venv-openapi-python-client"
TIMEOUT = 3600


@dataclass
class Sample:
    wall: float
    cpu: float
    max_rss_mb: float  # the largest single process (wait4 ru_maxrss)
    tree_pss_mb: float  # the largest sampled sum of PSS over the process tree


@dataclass
class Row:
    n: int
    name: str
    runs: int
    wall: float
    cpu: float
    max_rss_mb: float
    tree_pss_mb: float


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _memory(pid: int) -> int:
    """Proportional set size (shared pages split between the processes sharing them), bytes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm", "rb") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _tree_pss(root: int) -> int:
    children = _children_map()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += _memory(pid)
    return total


def run_once(command: Sequence[str], cwd: Path, env: dict[str, str]) -> Sample:
    """One run of `command` as a fresh process: wall, CPU and memory; exits on failure."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                with contextlib.suppress(OSError):
                    peak[0] = max(peak[0], _tree_pss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            tail = output.read().decode(errors="replace")[-4000:]
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{tail}")
    max_rss = usage.ru_maxrss / 1024
    return Sample(wall, usage.ru_utime + usage.ru_stime, max_rss, peak[0] / 2**20)


def measure(
    n: int,
    name: str,
    command: Sequence[str],
    cwd: Path,
    env: dict[str, str],
    runs: int,
    before: Callable[[], None] | None = None,
) -> Row:
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        samples.append(run_once(command, cwd, env))
    row = Row(
        n=n,
        name=name,
        runs=runs,
        wall=statistics.median(s.wall for s in samples),
        cpu=statistics.median(s.cpu for s in samples),
        max_rss_mb=max(s.max_rss_mb for s in samples),
        tree_pss_mb=max(s.tree_pss_mb for s in samples),
    )
    print(
        f"  N={n:<5} {name:<42} {row.wall:8.2f} s wall {row.cpu:8.2f} s cpu "
        f"{row.max_rss_mb:7.0f} MB  (tree PSS {row.tree_pss_mb:.0f} MB, {runs} run(s))",
        flush=True,
    )
    return row


def peer_openapi_python_client() -> Path:
    """openapi-python-client from the bench extra, else from a throwaway venv of its own."""
    installed = BIN / "openapi-python-client"
    if installed.exists():
        return installed
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "openapi-python-client"], check=True)
    return PEER_VENV / "bin" / "openapi-python-client"


def sizes() -> list[int]:
    raw = os.environ.get("SDKGEN_BENCH_SIZES")
    if not raw:
        return list(DEFAULT_SIZES)
    return [int(part) for part in raw.replace(" ", "").split(",") if part]


def runs_for(n: int, slow_peer: bool = False) -> int:
    configured = os.environ.get("SDKGEN_BENCH_RUNS")
    if configured:
        return max(1, int(configured)) if not (slow_peer and n >= 1000) else 1
    if n >= 1000:
        return 1 if slow_peer else 3
    return 5


def bench_size(n: int, env: dict[str, str]) -> list[Row]:
    folder = WORK / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    out = folder / "out"
    out.mkdir(parents=True)
    spec = write_spec(n, folder / f"synthetic-{n}.yaml")
    package = out / f"synthetic{n}"
    sdkgen = str(BIN / "sdkgen")
    dmcg = str(BIN / "datamodel-codegen")
    opc = str(peer_openapi_python_client())
    runs = runs_for(n)

    def fresh() -> None:
        shutil.rmtree(package, ignore_errors=True)

    def fresh_peer(path: Path) -> Callable[[], None]:
        return lambda: shutil.rmtree(path, ignore_errors=True)

    models = ["--input", str(spec), "--input-file-type", "openapi", "--output-model-type", "pydantic_v2.BaseModel"]
    rows = [
        measure(n, "sdkgen generate (from scratch)", [sdkgen, "generate", str(spec), "--out", str(out)], folder, env,
                runs, fresh),
        measure(n, "sdkgen generate (nothing to do)", [sdkgen, "generate", str(spec), "--out", str(out)], folder, env,
                max(runs, 5)),
        measure(n, "sdkgen check (nothing to do)", [sdkgen, "check", str(spec), "--out", str(out)], folder, env,
                max(runs, 5)),
        measure(n, "sdkgen check --force (full render)", [sdkgen, "check", "--force", str(spec), "--out", str(out)],
                folder, env, runs),
        measure(n, "openapi-python-client", [opc, "generate", "--path", str(spec), "--output-path",
                str(folder / "opc"), "--overwrite"], folder, env, runs_for(n, slow_peer=True),
                fresh_peer(folder / "opc")),
        measure(n, "datamodel-codegen (black+isort)", [dmcg, *models, "--formatters", "black", "isort", "--output",
                str(folder / "dmcg_black.py")], folder, env, runs),
        measure(n, "datamodel-codegen (builtin formatter)", [dmcg, *models, "--formatters", "builtin", "--output",
                str(folder / "dmcg_builtin.py")], folder, env, runs),
    ]  # fmt: skip
    return rows


def markdown(rows: list[Row]) -> str:
    lines = [
        "| N | command | runs | wall (median) | CPU (median) | peak RSS | peak PSS, tree | peer / sdkgen: wall | CPU |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ours = {row.n: row for row in rows if row.name == "sdkgen generate (from scratch)"}
    for row in rows:
        ratio = " | "
        if not row.name.startswith("sdkgen") and row.n in ours:
            ratio = f"{row.wall / ours[row.n].wall:.2f}x | {row.cpu / ours[row.n].cpu:.2f}x"
        lines.append(
            f"| {row.n} | {row.name} | {row.runs} | {row.wall:.2f} s | {row.cpu:.2f} s | "
            f"{row.max_rss_mb:.0f} MB | {row.tree_pss_mb:.0f} MB | {ratio} |"
        )
    return "\n".join(lines)


def verdicts(rows: list[Row]) -> list[str]:
    """The issue's targets, checked against this run."""
    by = {(row.n, row.name): row for row in rows}
    lines = []
    for n in sorted({row.n for row in rows}):
        ours = by[(n, "sdkgen generate (from scratch)")]
        opc = by[(n, "openapi-python-client")]
        builtin = by[(n, "datamodel-codegen (builtin formatter)")]
        noop = max(by[(n, "sdkgen generate (nothing to do)")].wall, by[(n, "sdkgen check (nothing to do)")].wall)
        checks = [
            (f"{opc.wall / ours.wall:.1f}x faster than openapi-python-client (>= 5x)", opc.wall / ours.wall >= 5),
            (f"{ours.wall / builtin.wall:.2f}x datamodel-codegen builtin (<= 1.3x)", ours.wall / builtin.wall <= 1.3),
            (f"no-op generate/check {noop:.2f} s (< 0.5 s)", noop < 0.5),
            (
                f"peak memory {max(ours.max_rss_mb, ours.tree_pss_mb):.0f} MB (< 1024 MB)",
                max(ours.max_rss_mb, ours.tree_pss_mb) < 1024,
            ),
        ]
        for text, ok in checks:
            lines.append(f"  N={n:<5} {'met' if ok else 'MISSED':<7} {text}")
    return lines


def main() -> int:
    WORK.mkdir(exist_ok=True)
    env = dict(os.environ)
    # openapi-python-client runs `ruff` from PATH; every tool comes from this venv.
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("SDKGEN_DEBUG", None)
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    rows: list[Row] = []
    for n in sizes():
        print(f"N={n}", flush=True)
        rows.extend(bench_size(n, env))
    (WORK / "bench_scale.json").write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n")
    print()
    print(markdown(rows))
    print()
    print("targets:")
    print("\n".join(verdicts(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
