"""`sdkgen diff` on two large specs: a synthetic spec of N operations and N schemas and its next
version (tests/diff/evolve.py: bounds moved both ways, enum values dropped, members and a
required parameter added, an operation removed).

    .venv/bin/python benchmarks/bench_diff.py [N]      # N defaults to 1000

Prints the wall and CPU time of `sdkgen diff OLD NEW` as a fresh process (median of 3 runs;
CPU time, of the process and its helper, is steadier than wall time on a busy machine), then
where the CPU time of one serial run in this process goes: loading each side (YAML with every
position, `$ref` bundling, IR, client view; the YAML part also on its own), and the
comparison itself (wire and SDK-surface rules). `sdkgen diff` loads the old side in a helper
process while it loads the new one, so its wall time is about one side's load plus the
comparison. The target is a whole diff of N = 1000 under 2 s.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # the synthetic spec and its evolution are shared with the tests

from generator.diff import compare  # noqa: E402
from generator.diff.sources import load_beside, load_side  # noqa: E402
from generator.spec.yaml_source import read_document  # noqa: E402
from tests.diff.evolve import write_pair  # noqa: E402

RUNS = 3
TARGET_SECONDS = 2.0


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1000
    with tempfile.TemporaryDirectory(prefix="sdkgen-bench-diff-") as folder:
        old, new = write_pair(n, Path(folder))
        size = (old.stat().st_size + new.stat().st_size) / 2 / 1e6
        print(f"synthetic spec, N = {n} operations and schemas, {size:.1f} MB of YAML per side")
        walls, cpus = [], []
        for _ in range(RUNS):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "generator", "diff", str(old), str(new), "--format", "json"],
                capture_output=True,
                check=False,
            )
            walls.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if result.returncode not in (0, 1):
                print(result.stderr.decode(), file=sys.stderr)
                return 2
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        verdict = "under" if wall < TARGET_SECONDS else "OVER"
        print(
            f"sdkgen diff, whole process: {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"(median of {RUNS}; {verdict} the {TARGET_SECONDS:g} s target)"
        )

        # As `sdkgen diff` runs it (the old side in a helper), its imports aside: on an idle
        # two-core machine the wall time is this process's CPU time and what it waits for.
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, started_cpu = time.perf_counter(), time.process_time()
        pending = load_beside(str(old))
        new_side = load_side(str(new))
        waiting = time.perf_counter()
        old_side = pending.result()
        waited = time.perf_counter() - waiting
        assert old_side is not None
        compare(old_side, new_side)
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        pending.cancel()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        helper = after.ru_utime - children.ru_utime + after.ru_stime - children.ru_stime
        print(
            f"the same in this process, imports aside: {wall:.2f} s wall; {cpu:.2f} s CPU here "
            f"(of which {waited:.2f} s wall waiting for the old side and receiving it), {helper:.2f} s in the helper"
        )

        steps: list[tuple[str, float]] = []
        sides = []
        for label, path in (("old", old), ("new", new)):
            started = time.process_time()
            sides.append(load_side(str(path)))
            steps.append((f"load {label} (YAML, $ref bundling, IR, client view)", time.process_time() - started))
        started = time.process_time()
        findings = compare(sides[0], sides[1])
        rules = f"compare: wire and SDK-surface rules ({len(findings)} findings, located)"
        steps.append((rules, time.process_time() - started))
        total = sum(seconds for _, seconds in steps)
        started = time.process_time()
        read_document(new, "api.yaml")
        yaml_seconds = time.process_time() - started
        print(f"one serial run in this process, {total:.2f} s CPU:")
        for name, seconds in steps:
            print(f"  {seconds:6.2f} s  {name}")
        print(f"  (reading one side's YAML with every value's and key's position: {yaml_seconds:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
