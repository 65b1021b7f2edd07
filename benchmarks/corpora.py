"""The corpora of ``../shared/data`` and which part of each may train or only judge.

This module is the one place that encodes ``shared/data/SPLITS.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

#: Graded ratings (1 uncertain .. 6 certain) at or below this count as uncertain when the
#: graded training split is used as binary training data. The midpoint of the scale.
GRADED_UNCERTAIN_AT_MOST = 3.5


@dataclass(frozen=True)
class Sentence:
    """One labeled sentence of a corpus."""

    text: str
    label: str | None  # "certain" / "uncertain", None for graded-only data
    cues: tuple[tuple[int, int], ...]
    rating: float | None = None


def _rows(data: Path, name: str) -> list[dict]:
    with open(data / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _labeled(rows: list[dict]) -> list[Sentence]:
    return [
        Sentence(r["text"], r["label"], tuple((s, e) for s, e, _ in r.get("cues", [])))
        for r in rows
    ]


def _graded(rows: list[dict], binary: bool) -> list[Sentence]:
    return [
        Sentence(
            r["text"],
            ("uncertain" if r["certainty"] <= GRADED_UNCERTAIN_AT_MOST else "certain")
            if binary
            else None,
            (),
            r["certainty"],
        )
        for r in rows
    ]


def bio_train(data: Path = DEFAULT_DATA) -> list[Sentence]:
    """Return the CoNLL-2010 bio training data (may train)."""
    return _labeled(_rows(data, "conll2010/conll2010_bio_train.jsonl"))


def wiki_train(data: Path = DEFAULT_DATA) -> list[Sentence]:
    """Return Szeged Wikipedia folds 0-7 (may train)."""
    rows = _rows(data, "szeged_uncertainty/wiki_all.jsonl")
    return _labeled([r for r in rows if r["fold"] <= 7])


def graded_train(data: Path = DEFAULT_DATA) -> list[Sentence]:
    """Return Pei & Jurgens graded train and val splits (may train), binarized."""
    rows = _rows(data, "pei_jurgens_2021/sentence_certainty_train.jsonl")
    rows += _rows(data, "pei_jurgens_2021/sentence_certainty_val.jsonl")
    return _graded(rows, binary=True)


def training_sentences(data: Path = DEFAULT_DATA) -> list[Sentence]:
    """Return every sentence SPLITS.md lets us train on."""
    return bio_train(data) + wiki_train(data) + graded_train(data)


def evaluation_sets(data: Path = DEFAULT_DATA) -> dict[str, list[Sentence]]:
    """Return the judged sets of SPLITS.md, by name (never train on these)."""
    wiki = _rows(data, "szeged_uncertainty/wiki_all.jsonl")
    return {
        "bio": _labeled(_rows(data, "conll2010/conll2010_bio_eval_approx.jsonl")),
        "wiki": _labeled([r for r in wiki if r["fold"] >= 8]),
        "news": _labeled(_rows(data, "szeged_uncertainty/factbank_all.jsonl")),
        "reviews": _labeled(_rows(data, "sfu_review/sfu_review_speculation.jsonl")),
        "wiki-original": _labeled(
            _rows(data, "conll2010_wiki_sample/conll2010_wiki_sample_pattern.jsonl")
        ),
        "graded": _graded(_rows(data, "pei_jurgens_2021/sentence_certainty_test.jsonl"), False),
    }
