"""Dask and spaCy against scoring in one process: wall time and CPU time of all processes.

Run from the repository root, with ``../shared/data`` beside it and the ``dask`` and
``spacy`` extras installed::

    python -m benchmarks.integrations [--sentences 300000] [--docs 10000] [--rounds 2]

Sentences are those of the shared corpora (every text split, as ``hedge score`` splits
it), repeated to ``--sentences``. They are scored, as given: with
``Scorer.score_sentences`` in this process ("local"); with
:func:`classifier.dask.score_frame` and :func:`classifier.dask.score_bag`
(``split=False``) in this process (Dask's ``sync`` scheduler: the same work and results,
nothing shipped); and with both on a ``LocalCluster`` of 1 and of 2 worker processes (one
thread each; the inputs persisted on the workers and one warm-up run before the clock
starts, as if the data were read there). spaCy scores the first ``--docs`` corpus texts
(a blank English pipeline, ``sentencizer``, ``hedge_certainty``) with ``n_process`` 1
and 2. CPU time counts this process, its children once waited for (``RUSAGE_CHILDREN``:
spaCy's processes) and the cluster's worker processes (from ``/proc``, before and after).
Best of ``--rounds``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from benchmarks.corpora import DEFAULT_DATA
from benchmarks.parallel import corpus_lines
from classifier.compiled import build_name
from classifier.io.archive import load_scorer
from classifier.text.sentences import split_sentences

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pids: Iterable[int]) -> float:
    """Return the CPU seconds (user + system) of processes, from /proc."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable[[], object], pids: tuple[int, ...] = ()) -> tuple[float, ...]:
    """Return wall and CPU seconds of ``run()``, and the CPU seconds of processes ``pids``.

    The CPU time counts this process, its children waited for, and ``pids``.
    """
    cpu0, extra0 = _own_cpu(), _cpu_of(pids)
    wall0 = time.perf_counter()
    run()
    wall = time.perf_counter() - wall0
    extra = _cpu_of(pids) - extra0
    return wall, _own_cpu() - cpu0 + extra, extra


def best(rounds: int, measure: Callable[[], tuple[float, ...]]) -> tuple[float, ...]:
    """Return the least of each measure over ``rounds`` runs."""
    runs = [measure() for _ in range(rounds)]
    return tuple(min(values) for values in zip(*runs, strict=True))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=300_000)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--partitions", type=int, default=0, help="0: 4 per worker")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--skip", nargs="*", default=[], choices=["dask", "spacy"])
    args = parser.parse_args(argv)
    texts = corpus_lines(args.data)
    corpus = [s.text for text in texts for s in split_sentences(text)]
    sentences = list(itertools.islice(itertools.cycle(corpus), args.sentences))
    scorer = load_scorer()
    print(f"build: {build_name()}; load average {os.getloadavg()[0]:.2f}")
    print(f"{len(sentences):,} sentences; best of {args.rounds}; wall s, CPU s (all processes)")
    local = best(args.rounds, lambda: timed(lambda: scorer.score_sentences(sentences)))
    print(f"local Scorer.score_sentences          {local[0]:7.2f} {local[1]:7.2f}", flush=True)
    if "dask" not in args.skip:
        dask_rows(args, sentences, scorer, local)
    if "spacy" not in args.skip:
        spacy_rows(args, texts[: args.docs])
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


def dask_rows(args: argparse.Namespace, sentences: list[str], scorer, local) -> None:
    """Print the Dask rows: score_frame and score_bag on 1 and 2 worker processes."""
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd
    from dask.distributed import Client, LocalCluster

    from classifier.dask import score_bag, score_frame

    frame = pd.DataFrame({"text": sentences})
    partitions = args.partitions or 8
    ddf = dd.from_pandas(frame, npartitions=partitions)
    bag = db.from_sequence(sentences, npartitions=partitions)
    runs = {
        "score_frame": lambda **kw: score_frame(ddf, model=scorer).compute(**kw),
        "score_bag": lambda **kw: score_bag(bag, scorer, split=False).compute(**kw),
    }
    here = {}
    for name, run in runs.items():
        here[name] = best(args.rounds, lambda run=run: timed(lambda: run(scheduler="sync")))
        print(f"dask {name}, in this process (sync)   {here[name][0]:7.2f} {here[name][1]:7.2f}")
    for workers in (1, 2):
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster,
            Client(cluster) as client,
        ):
            pids = tuple(client.run(os.getpid).values())
            frame_there, bag_there = ddf.persist(), bag.persist()  # as if read on the workers
            client.wait_for_workers(workers)
            on_cluster = {
                "score_frame": partial(score_frame, frame_there, model=scorer),
                "score_bag": partial(score_bag, bag_there, scorer, split=False),
            }
            for name, lazy in on_cluster.items():
                lazy().compute()  # the workers import classifier and get the model
                wall, cpu, worker_cpu = best(
                    args.rounds, partial(timed, lambda lazy=lazy: lazy().compute(), pids)
                )
                print(
                    f"dask {name}, {workers} worker process(es), {partitions} partitions"
                    f" {wall:7.2f} {cpu:7.2f}  (workers {worker_cpu:.2f}; CPU"
                    f" {cpu / here[name][1]:.2f}x in-process, "
                    f"{cpu / local[1]:.2f}x local; speed {here[name][0] / wall:.2f}x in-process)",
                    flush=True,
                )


def spacy_rows(args: argparse.Namespace, texts: list[str]) -> None:
    """Print the spaCy rows: nlp.pipe with n_process 1 and 2."""
    import spacy

    import classifier.spacy  # noqa: F401 -- registers the component

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty")
    for n_process in (1, 2):
        wall, cpu, _ = best(
            args.rounds,
            lambda n=n_process: timed(lambda: sum(1 for _ in nlp.pipe(texts, n_process=n))),
        )
        print(
            f"spaCy nlp.pipe, {len(texts):,} docs, n_process={n_process}  {wall:7.2f} {cpu:7.2f}",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
