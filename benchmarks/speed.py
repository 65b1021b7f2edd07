"""Speed and cost of scoring: one core, start-up, memory, several processes, Dask, the model.

Run from the repository root, with ``../shared/data`` beside it::

    python -m benchmarks.speed [--megabytes 20]

It measures the ``classifier`` that Python imports and says which build that is
(``classifier.compiled``: "compiled" or "pure Python"). One table, in the order of the
speed issue:

* sentences per CPU second on one core (the process pins itself to one CPU): ours, VADER's
  ``polarity_scores`` (a lexicon-and-rules sentence scorer of the same shape, installed
  only for this benchmark: ``pip install vaderSentiment``; skipped without it) and the
  floor of merely tokenizing each sentence with one regular expression, all on the 5,006
  CoNLL-2010 bio evaluation sentences, best of ``--repeats`` interleaved rounds;
* ``hedge score`` on one sentence, wall time (median of 5 runs);
* peak memory (``/usr/bin/time -v``) of ``hedge score`` on a 1 MB and a larger generated
  file, and the speed-up of ``--jobs 2`` on the larger one;
* peak memory on the input shapes that once grew without bound: one line without a line
  break, lines without a blank line, one sentence without an end (``--shape-megabytes``
  each), and ``hedge train`` on a CSV field ten times that size;
* Dask against local scoring of the same sentences (with the ``dask`` extra);
* training time on all allowed training data, model load time and file sizes.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from benchmarks.corpora import DEFAULT_DATA, evaluation_sets
from classifier.compiled import build_name
from classifier.io.archive import default_model_path, load_scorer

FLOOR = re.compile(r"\w+|[^\w\s]")
PARAGRAPH = (
    "Russia annexed Crimea from Ukraine in 2014. Analysts say the chances of a new "
    "offensive this winter are slim. The protein may play a role in DNA repair, although "
    "its partners remain unknown. Dr. Okafor's team measured its activity in 42 cell lines."
    "\n\n"
)
HEDGE = [sys.executable, "-m", "classifier.cli"]

Rows = list[tuple[str, str]]
FLOOR_ROW = "tokenizing floor (one regular expression)"
PROBA = "hedge certainty / predict_proba (pre-split sentences)"
SCORE = "hedge score (raw text: split, score, cues, rating)"
VADER = "VADER polarity_scores"


def best_cpu_seconds(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Return each run's least CPU time over ``rounds`` rounds that alternate the runs.

    CPU time of this process, not wall time: on a shared machine another process on the
    same core delays a run without adding to its CPU time; rounds are interleaved so that
    a busy spell slows every run alike.
    """
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - started)
    return best


def wall_time(*command: str) -> float:
    """Run a command, discarding its output; return its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def peak_rss_mb(*command: str, ok: int = 0) -> float:
    """Run a command under /usr/bin/time -v; return its peak resident memory in MB.

    The command must exit with status ``ok``.
    """
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert result.returncode == ok, result.stderr
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    assert match is not None, result.stderr
    return int(match.group(1)) / 1024


def one_core(sentences: list[str], repeats: int) -> Rows:
    """Sentences per second on one CPU."""
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cpus)})
    try:
        scorer = load_scorer()
        document = " ".join(sentences)
        runs: dict[str, Callable[[], object]] = {
            FLOOR_ROW: lambda: [FLOOR.findall(s) for s in sentences],
            PROBA: lambda: scorer.certainty(sentences),
            SCORE: lambda: scorer.score(document),
        }
        try:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        except ImportError:
            print("vaderSentiment is not installed: its row is skipped", file=sys.stderr)
        else:
            vader = SentimentIntensityAnalyzer()
            runs[VADER] = lambda: [vader.polarity_scores(s) for s in sentences]
        rows = {
            name: len(sentences) / seconds
            for name, seconds in best_cpu_seconds(runs, repeats).items()
        }
    finally:
        os.sched_setaffinity(0, cpus)
    table = [(f"{name}, one core", f"{value:,.0f} sentences/s") for name, value in rows.items()]
    proba, score = rows[PROBA], rows[SCORE]
    table.append(("regex tokenize floor / `predict_proba`", f"{rows[FLOOR_ROW] / proba:.2f}"))
    if VADER in rows:
        table.append(("`predict_proba` / VADER", f"{proba / rows[VADER]:.2f}x"))
        table.append(("`score` on raw text / VADER", f"{score / rows[VADER]:.2f}x"))
    return table


def whole_command(megabytes: int) -> Rows:
    """Start-up, memory and ``--jobs`` of the ``hedge score`` command."""
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp, "one.txt")
        one.write_text("It may rain tomorrow.\n", encoding="utf-8")
        startup = statistics.median(wall_time(*HEDGE, "score", str(one)) for _ in range(5))
        small, large = Path(tmp, "small.txt"), Path(tmp, "large.txt")
        small.write_text(PARAGRAPH * (1_000_000 // len(PARAGRAPH)), encoding="utf-8")
        repeats = megabytes * 1_000_000 // len(PARAGRAPH) // 1000
        with open(large, "w", encoding="utf-8") as f:
            for _ in range(repeats):
                f.write(PARAGRAPH * 1000)
        sentences = 4 * repeats * 1000
        memory_small = peak_rss_mb(*HEDGE, "score", "--format", "jsonl", str(small))
        memory_large = peak_rss_mb(*HEDGE, "score", "--format", "jsonl", str(large))
        jobs = {
            n: wall_time(*HEDGE, "score", "--format", "jsonl", "--jobs", str(n), str(large))
            for n in (1, 2)
        }
    return [
        ("`hedge score` on one sentence, wall time (median of 5)", f"{startup:.2f} s"),
        ("peak memory, `hedge score` on 1 MB", f"{memory_small:.0f} MB"),
        (f"peak memory, `hedge score` on {megabytes} MB", f"{memory_large:.0f} MB"),
        (
            f"`hedge score` on {megabytes} MB ({sentences:,} sentences), --jobs 1",
            f"{jobs[1]:.1f} s ({sentences / jobs[1]:,.0f} sentences/s)",
        ),
        (
            f"`hedge score` on {megabytes} MB, --jobs 2",
            f"{jobs[2]:.1f} s ({sentences / jobs[2]:,.0f} sentences/s, "
            f"speed-up {jobs[1] / jobs[2]:.2f}x)",
        ),
    ]


def memory_shapes(megabytes: int) -> Rows:
    """Peak memory of ``hedge`` on the input shapes of issue 16 item 4, ``megabytes`` each."""
    size = megabytes * 1_000_000
    line = PARAGRAPH.replace("\n\n", " ")
    shapes = {
        "one line, no line break": lambda f: _fill(f, line, size),
        "one sentence per line, no blank line": lambda f: _fill(
            f, PARAGRAPH.replace(". ", ".\n").replace("\n\n", "\n"), size
        ),
        "one sentence, no sentence end": lambda f: _fill(f, "the protein binds DNA ", size),
    }
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "shape.txt")
        for name, fill in shapes.items():
            with open(path, "w", encoding="utf-8") as f:
                fill(f)
            memory = peak_rss_mb(*HEDGE, "score", "--format", "jsonl", "-o", os.devnull, str(path))
            rows.append(
                (f"peak memory, `hedge score` on {megabytes} MB: {name}", f"{memory:.0f} MB")
            )
        data = Path(tmp, "field.csv")
        with open(data, "w", encoding="utf-8") as f:
            f.write('text,label\n"')
            _fill(f, "x", size * 10)
            f.write('",certain\n')
        memory = peak_rss_mb(*HEDGE, "train", str(data), "--out", str(Path(tmp, "m.hedge")), ok=1)
        rows.append(
            (f"peak memory, `hedge train` on a CSV field of {10 * megabytes} MB (refused)",
             f"{memory:.0f} MB")
        )  # fmt: skip
    return rows


def _fill(f: TextIO, text: str, size: int) -> None:
    """Write ``text`` repeated to about ``size`` characters, in pieces of about 1 MB."""
    block = text * max(1, 1_000_000 // len(text))
    for _ in range(max(1, size // len(block))):
        f.write(block)


def dask_against_local(sentences: list[str]) -> Rows:
    """Seconds to score the same sentences locally and on a two-worker LocalCluster."""
    try:
        import dask.bag as db
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print("dask is not installed: its rows are skipped", file=sys.stderr)
        return []
    from classifier.dask import score_bag
    from classifier.model.estimator import CertaintyClassifier

    clf = CertaintyClassifier.load()
    started = time.perf_counter()
    local = [s for scores in clf.scorer_.score_many(sentences, split=False) for s in scores]
    seconds_local = time.perf_counter() - started
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster),
    ):
        bag = db.from_sequence(sentences, npartitions=8)
        score_bag(bag, clf, split=False).compute()  # warm the workers
        started = time.perf_counter()
        records = score_bag(bag, clf, split=False).compute()
        seconds_dask = time.perf_counter() - started
    assert [r["certainty"] for r in records] == [s.certainty for s in local]
    n = len(sentences)
    return [
        ("local `score_many`, one process", f"{n / seconds_local:,.0f} sentences/s"),
        (
            "Dask `score_bag`, LocalCluster of 2 worker processes",
            f"{n / seconds_dask:,.0f} sentences/s",
        ),
    ]


def model_cost(data: Path) -> Rows:
    """Training time on all allowed data, load times and file sizes of the bundled model."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "model.hedge")
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "scripts.train_default", "--data", str(data), "--out", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        training = time.perf_counter() - started
    load = (
        "import time; t = time.perf_counter(); from classifier.io.archive import {0}; {0}(None); "
        "print(time.perf_counter() - t)"
    )

    def load_seconds(function: str) -> float:
        command = [sys.executable, "-c", load.format(function)]
        runs = (subprocess.run(command, check=True, capture_output=True, text=True) for _ in "abc")
        return statistics.median(float(run.stdout) for run in runs)

    return [
        ("training on all allowed training data (`scripts.train_default`)", f"{training:.1f} s"),
        (
            "loading the pipeline (`CertaintyClassifier.load`, with imports)",
            f"{load_seconds('load_model'):.2f} s",
        ),
        (
            "loading the weights (`load_scorer`, with imports)",
            f"{load_seconds('load_scorer'):.2f} s",
        ),
        ("model file (one archive)", f"{default_model_path().stat().st_size / 1e6:.2f} MB"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=20, help="size of the large input")
    parser.add_argument(
        "--shape-megabytes", type=int, default=20, help="size of each input of the memory shapes"
    )
    args = parser.parse_args()
    sentences = [s.text for s in evaluation_sets(args.data)["bio"]]
    print(
        f"{build_name()} build; {len(os.sched_getaffinity(0))} cores; "
        f"one-core rows: {len(sentences):,} sentences"
    )
    print("| measure | value |")
    print("| --- | ---: |", flush=True)
    sections: list[Callable[[], Rows]] = [  # each printed when measured
        lambda: one_core(sentences, args.repeats),
        lambda: whole_command(args.megabytes),
        lambda: memory_shapes(args.shape_megabytes),
        lambda: dask_against_local(sentences * 4),
        lambda: model_cost(args.data),
    ]
    for section in sections:
        for name, value in section():
            print(f"| {name} | {value} |", flush=True)

if __name__ == "__main__":
    main()
