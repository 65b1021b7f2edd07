"""Start-up time, peak memory while streaming a large file, and the speed-up of --jobs.

Run from the repository root: ``python -m benchmarks.scale [--megabytes 50]``. The input
file is generated from sentences written here, repeated; it is deleted afterwards.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from classifier.persist import default_model_path

PARAGRAPH = (
    "Russia annexed Crimea from Ukraine in 2014. Analysts say the chances of a new "
    "offensive this winter are slim. The protein may play a role in DNA repair, although "
    "its partners remain unknown. Dr. Okafor's team measured its activity in 42 cell lines."
    "\n\n"
)


def run(*command: str) -> float:
    """Run a command, discarding its output; return its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def peak_rss_mb(*command: str) -> float:
    """Run a command under /usr/bin/time -v; return its peak resident memory in MB."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    assert match is not None, result.stderr
    return int(match.group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50, help="size of the large input")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp, "one.txt")
        one.write_text("It may rain tomorrow.\n", encoding="utf-8")
        startup = statistics.median(run("hedge", "score", str(one)) for _ in range(5))
        small, large = Path(tmp, "small.txt"), Path(tmp, "large.txt")
        small.write_text(PARAGRAPH * (1_000_000 // len(PARAGRAPH)), encoding="utf-8")
        repeats = args.megabytes * 1_000_000 // len(PARAGRAPH)
        with open(large, "w", encoding="utf-8") as f:
            for _ in range(repeats // 1000):
                f.write(PARAGRAPH * 1000)
        sentences = 4 * (repeats // 1000) * 1000
        memory_small = peak_rss_mb("hedge", "score", "--format", "jsonl", str(small))
        started = time.perf_counter()
        memory_large = peak_rss_mb("hedge", "score", "--format", "jsonl", str(large))
        seconds_large = time.perf_counter() - started
        jobs = {n: run("hedge", "score", "--format", "jsonl", "--jobs", str(n), str(large))
                for n in (1, 2)}
    print("| measure | value |")
    print("| --- | ---: |")
    print(f"| `hedge score` on one sentence, wall time (median of 5) | {startup:.2f} s |")
    print(f"| peak memory, 1 MB input | {memory_small:.0f} MB |")
    print(f"| peak memory, {args.megabytes} MB input ({sentences:,} sentences) "
          f"| {memory_large:.0f} MB |")
    print(f"| {args.megabytes} MB input, --jobs 1 | {jobs[1]:.1f} s "
          f"({sentences / jobs[1]:,.0f} sentences/s) |")
    print(f"| {args.megabytes} MB input, --jobs 2 | {jobs[2]:.1f} s "
          f"(speed-up {jobs[1] / jobs[2]:.2f}x) |")
    print(f"| (the memory run took {seconds_large:.1f} s) | |")
    print(f"| bundled model file | {default_model_path().stat().st_size / 1e6:.2f} MB |")


if __name__ == "__main__":
    main()
