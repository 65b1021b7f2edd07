"""Sentences per second on one core: ours, VADER, and the floor of tokenizing.

Run from the repository root: ``python -m benchmarks.speed``. VADER is installed only for
this benchmark (``pip install vaderSentiment``); without it, its row is skipped.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpora import DEFAULT_DATA, evaluation_sets
from classifier.model import CertaintyClassifier

FLOOR = re.compile(r"\w+|[^\w\s]")


def rate(run: Callable[[], object], n: int, repeats: int) -> float:
    """Return the best of ``repeats`` runs, in items per second."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return n / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sentences = [s.text for s in evaluation_sets(args.data)["bio"]]
    document = " ".join(sentences)
    n = len(sentences)
    started = time.perf_counter()
    clf = CertaintyClassifier.load()
    load = time.perf_counter() - started
    rows = {
        "tokenizing floor (one regular expression)": rate(
            lambda: [FLOOR.findall(s) for s in sentences], n, args.repeats
        ),
        "hedge predict_proba (pre-split sentences)": rate(
            lambda: clf.predict_proba(sentences), n, args.repeats
        ),
        "hedge score (raw text: split + score + cues)": rate(
            lambda: clf.score(document), n, args.repeats
        ),
    }
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        print("vaderSentiment is not installed: its row is skipped")
    else:
        vader = SentimentIntensityAnalyzer()
        rows["VADER polarity_scores"] = rate(
            lambda: [vader.polarity_scores(s) for s in sentences], n, args.repeats
        )
    print(f"{n} sentences (CoNLL-2010 bio eval), best of {args.repeats}; model load {load:.2f} s")
    print("| scorer | sentences/s |")
    print("| --- | ---: |")
    for name, value in rows.items():
        print(f"| {name} | {value:,.0f} |")


if __name__ == "__main__":
    main()
