"""``hedge score --jobs``: wall time, CPU time and memory of all processes, against one.

Run from the repository root, with ``../shared/data`` beside it::

    python -m benchmarks.parallel [--lines 300000] [--jobs 2] [--rounds 3]

The input is real text: every text of the shared corpora (``*.jsonl``, field ``text`` or
``finding``), white space collapsed, one per line, as ``.ci/compiled`` builds it, repeated
to ``--lines`` lines. Each round runs ``hedge score --lines --format jsonl`` with
``--jobs 1`` and with ``--jobs N`` (alternating, so that a busy spell slows both), output
to a file. For each run it reports wall time; CPU time of every process (this process's
``RUSAGE_CHILDREN``, which counts the workers once the command has waited for them); and
peak memory of all the command's processes together, sampled from ``/proc`` every 20 ms,
as the sum of resident sets (RSS: shared pages counted in each process) and as the sum of
proportional sets (PSS: a page shared by k processes counted 1/k in each). The outputs of
the two are compared byte for byte. Run it when the machine is idle (see ``uptime``).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpora import DEFAULT_DATA
from classifier.compiled import build_name

HEDGE = [sys.executable, "-m", "classifier.cli"]


def corpus_lines(data: Path) -> list[str]:
    """Return every text of the corpora under ``data``, one line each (as .ci/compiled)."""
    lines = []
    for path in sorted(data.rglob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                text = record.get("text", record.get("finding"))
                if isinstance(text, str):
                    lines.append(" ".join(text.split()))
    return lines


def write_input(path: Path, data: Path, count: int) -> None:
    """Write ``count`` lines of corpus text to ``path``, the corpus repeated."""
    lines = corpus_lines(data)
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in itertools.islice(itertools.cycle(lines), count))


def _tree(root: int) -> Iterator[int]:
    """Yield ``root`` and the ids of its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    todo = [root]
    while todo:
        pid = todo.pop()
        yield pid
        todo += children.get(pid, [])


def _memory(pid: int) -> tuple[int, int]:
    """Return ``(RSS, PSS)`` of one process in kB; zeros if it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line and "-" not in line)
    except (OSError, ValueError):
        return 0, 0
    return int(fields.get("Rss", "0 kB").split()[0]), int(fields.get("Pss", "0 kB").split()[0])


@dataclass
class Run:
    """One command's measures."""

    wall: float
    cpu: float
    rss: int  # kB, peak of the sum over processes
    pss: int
    processes: int  # most processes seen at once
    digest: str


def measure(command: list[str], output: Path) -> Run:
    """Run ``command`` with standard output to ``output``; measure it and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = {"rss": 0, "pss": 0, "processes": 0}
    started = time.perf_counter()
    with open(output, "wb") as out:
        process = subprocess.Popen(command, stdout=out)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                pids = list(_tree(process.pid))
                sizes = [_memory(pid) for pid in pids]
                peak["rss"] = max(peak["rss"], sum(rss for rss, _ in sizes))
                peak["pss"] = max(peak["pss"], sum(pss for _, pss in sizes))
                peak["processes"] = max(peak["processes"], sum(1 for rss, _ in sizes if rss))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
    if code:
        raise SystemExit(f"{' '.join(command)}: exit status {code}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    return Run(wall, cpu, peak["rss"], peak["pss"], peak["processes"], digest)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=300_000, help="input lines")
    parser.add_argument("--jobs", type=int, default=2, help="the N of --jobs N")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (each runs both)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no corpora at {args.data}", file=sys.stderr)
        return 1
    print(f"build: {build_name()}; load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "lines.txt"
        write_input(source, args.data, args.lines)
        megabytes = source.stat().st_size / 1e6
        print(f"input: {args.lines:,} lines of corpus text ({megabytes:.1f} MB)")
        runs: dict[int, list[Run]] = {1: [], args.jobs: []}
        for round_ in range(args.rounds):
            for jobs in runs:
                command = [*HEDGE, "score", "--lines", "--format", "jsonl", "--jobs", str(jobs)]
                run = measure([*command, str(source)], Path(tmp) / f"out{jobs}.jsonl")
                runs[jobs].append(run)
                print(
                    f"round {round_ + 1} --jobs {jobs}: wall {run.wall:.2f} s, CPU {run.cpu:.2f} s,"
                    f" peak RSS {run.rss / 1024:.0f} MB, PSS {run.pss / 1024:.0f} MB"
                    f" ({run.processes} processes)",
                    flush=True,
                )
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    one, many = runs[1], runs[args.jobs]
    same = {run.digest for run in one + many}
    print(f"outputs identical: {'yes' if len(same) == 1 else 'NO'}")

    def median(values: list[float]) -> float:
        return statistics.median(values)

    print(f"\nmedian of {args.rounds} rounds    --jobs 1   --jobs {args.jobs}   ratio")
    rows = [
        ("wall (s)", [r.wall for r in one], [r.wall for r in many]),
        ("CPU, all processes (s)", [r.cpu for r in one], [r.cpu for r in many]),
        ("peak RSS, all (MB)", [r.rss / 1024 for r in one], [r.rss / 1024 for r in many]),
        ("peak PSS, all (MB)", [r.pss / 1024 for r in one], [r.pss / 1024 for r in many]),
    ]
    for name, a, b in rows:
        print(f"{name:<25} {median(a):8.2f} {median(b):9.2f} {median(b) / median(a):7.2f}x")
    speedups = [a.wall / b.wall for a, b in zip(one, many, strict=True)]
    cpus = [b.cpu / a.cpu for a, b in zip(one, many, strict=True)]
    print(
        f"per round: speed-up {', '.join(f'{s:.2f}x' for s in speedups)};"
        f" CPU ratio {', '.join(f'{c:.2f}x' for c in cpus)}"
    )
    return 0 if len(same) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
